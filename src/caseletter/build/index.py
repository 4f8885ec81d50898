"""What an educator sees after a class build: each case's summary, and ``build/index.html``."""

from __future__ import annotations

import html
import json
import os
import tempfile
from pathlib import Path
from urllib.parse import quote

from caseletter.build.cache import MANIFEST
from caseletter.build.classbuild import CaseOutcome
from caseletter.errors import ExportError


def summary_counts(o: CaseOutcome) -> tuple[str, str, str]:
    """Words, references and findings of a case, from this build or the manifest of the last."""
    info = read_summary(o.case_path, o.result.out_dir) if o.result else {}
    findings = info.get("findings") or {}
    text = ", ".join(f"{n} {sev}{'s' if n > 1 else ''}" for sev, n in sorted(findings.items())) or (
        "—" if o.status == "failed" else "none"
    )
    return str(info.get("words") or "—"), str(info.get("references") or "—"), text


def read_summary(case_path: Path, out_dir: Path) -> dict:
    """The summary a successful build recorded in its manifest."""
    try:
        return json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_index(outcomes: list[CaseOutcome], out_root: Path) -> Path:
    """``index.html`` linking every letter in `out_root` and its check report; failures shown.

    A failure is shown as it may be shared (identifiers named by field, never quoted). The page
    is written whole or not at all.

    Raises:
        ExportError: the output folder cannot be written.
    """
    failed = {o.case_path.stem: o.error_to_share for o in outcomes if o.status == "failed"}
    names = sorted({p.parent.name for p in out_root.glob(f"*/{MANIFEST}")} | set(failed))
    rows = "\n".join(index_row(name, out_root, failed.get(name)) for name in names)
    page = INDEX_PAGE.format(rows=rows, count=len(names))
    try:
        out_root.mkdir(parents=True, exist_ok=True)  # a class whose every case failed made no folder yet
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=out_root, prefix=".index-", suffix=".html", delete=False
        ) as tmp:
            tmp.write(page)
        os.replace(tmp.name, out_root / "index.html")
    except OSError as exc:
        raise ExportError(
            str(out_root / "index.html"), f"the class index cannot be written ({exc.strerror})",
            "Check the output folder's permissions and free space, or choose another --out.",
        ) from None
    return out_root / "index.html"


def link_to(folder: str, file: str) -> str:
    """A relative link to a file the build wrote: ``./`` first and every part quoted.

    A case's name is a file name and may hold anything, ``javascript:...`` among it; quoted and
    behind ``./``, a link can only ever be a path into the output folder.
    """
    return f"./{quote(folder)}/{quote(file)}"


def index_row(name: str, out_root: Path, error: str | None) -> str:
    """One table row of the index: links to what exists, the failure message if it failed."""
    folder = out_root / name
    links = " ".join(
        f'<a href="{html.escape(link_to(name, f))}">{label}</a>'
        for f, label in [
            ("letter.html", "HTML"), ("letter.docx", "DOCX"), ("letter.pdf", "PDF"), ("check.html", "check report")
        ]
        if (folder / f).is_file()
    )
    info = read_summary(Path(name), folder)
    status = f'<span class="failed">failed: {html.escape(error)}</span>' if error else "ok"
    findings = ", ".join(f"{n} {html.escape(s)}" for s, n in sorted((info.get("findings") or {}).items())) or "none"
    return (
        f"<tr><td>{html.escape(name)}</td><td>{status}</td><td>{info.get('words') or '—'}</td>"
        f"<td>{info.get('references') or '—'}</td><td>{findings}</td><td>{links or '—'}</td></tr>"
    )


INDEX_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Case letters</title>
<style>
body {{ font-family: "Helvetica Neue", Arial, sans-serif; margin: 2rem auto; max-width: 64rem; color: #1a1a1a; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; padding: 0.4rem 0.6rem; border-bottom: 1px solid #ddd; vertical-align: top; }}
.failed {{ color: #a00; }} a {{ margin-right: 0.6rem; }}
</style></head>
<body><h1>Case letters</h1><p>{count} case(s).
The last successful build of each letter is linked; a case that failed this time says why.</p>
<table><thead><tr><th>Case</th><th>Status</th><th>Words</th><th>References</th>
<th>Check findings</th><th>Files</th></tr></thead>
<tbody>
{rows}
</tbody></table></body></html>
"""

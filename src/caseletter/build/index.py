"""What an educator sees after a class build: a roster, ``build/index.html`` and ``build/roster.csv``.

One row per case folder: its status in words and colour (ready; draft with the items still to
complete; check errors; build failed), words, references and figures against the journal's
limits with any overage marked, the CARE items missing, the identifiers found (counted, never
quoted), the check's findings, and links to the letter and to the check report of the case's
current state (a failed build's own report when it failed). Everything comes from what the builds
recorded (``build.json`` beside a letter, ``failed/failure.json`` beside a failure), so writing
the roster checks nothing again. The page sorts by any column; ``roster.csv`` holds the same
rows for a gradebook. Both are written whole, readable like the letters.
"""

from __future__ import annotations

import csv
import html
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import caseletter.build.publish as publish
from caseletter.build.cache import MANIFEST
from caseletter.build.classbuild import CaseOutcome
from caseletter.build.failures import BUILD_STAGE, CHECK_REPORT, read_failure
from caseletter.build.publish import FAILED
from caseletter.errors import ExportError

ROSTER_CSV = "roster.csv"
STATUS_CLASS = {
    "ready": "ready", "draft": "draft", "check errors": "errors", "build failed": "failed", "built": "ready",
}
FILES = [("letter.html", "HTML"), ("letter.docx", "DOCX"), ("letter.pdf", "PDF")]


@dataclass
class RosterRow:
    """One case as the roster shows it."""

    name: str
    status: str  # ready | draft | check errors | build failed | built (recorded before rosters)
    to_complete: int = 0
    measures: dict[str, dict] = field(default_factory=dict)
    care_missing: list[str] = field(default_factory=list)
    identifiers: int = 0
    findings: dict[str, int] = field(default_factory=dict)
    message: str = ""
    report: str = ""  # the check report's file, relative to the output folder
    files: list[tuple[str, str]] = field(default_factory=list)  # (label, relative file)


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


def roster_row(name: str, out_root: Path) -> RosterRow:
    """One case's row from what its builds recorded: the failure when the last build failed, else the letter's."""
    folder = out_root / name
    failure = read_failure(folder)
    recorded = failure.get("roster") if failure else read_summary(Path(name), folder).get("roster")
    recorded = recorded or {}
    if failure:
        status = "build failed" if failure.get("stage") == BUILD_STAGE else "check errors"
    else:
        status = {"passed": "ready", "draft": "draft"}.get(str(recorded.get("status")), "built")
    report = next((f"{name}/{r}" for r in (f"{FAILED}/{CHECK_REPORT}", CHECK_REPORT) if (folder / r).is_file()
                   and (failure or r == CHECK_REPORT)), "")
    return RosterRow(
        name, status, int(recorded.get("placeholders") or 0),
        {m["name"]: m for m in recorded.get("measures") or [] if isinstance(m, dict) and "name" in m},
        list(recorded.get("care_missing") or []), int(recorded.get("identifiers") or 0),
        dict(recorded.get("findings") or {}), str(failure.get("message", "")), report,
        [(label, f"{name}/{f}") for f, label in FILES if (folder / f).is_file()],
    )


def write_index(outcomes: list[CaseOutcome], out_root: Path) -> Path:
    """``index.html`` and ``roster.csv`` in `out_root`: every case folder there, this build's and earlier ones.

    Raises:
        ExportError: the output folder cannot be written.
    """
    failed_now = {o.case_path.stem for o in outcomes if o.status == "failed"}
    names = sorted(
        {p.parent.name for p in out_root.glob(f"*/{MANIFEST}")}
        | {p.parent.parent.name for p in out_root.glob(f"*/{FAILED}/failure.json")} | failed_now
    )
    rows = [roster_row(name, out_root) for name in names]
    for row, outcome in ((r, o) for r in rows for o in outcomes if o.case_path.stem == r.name):
        if outcome.status == "failed" and not row.message:  # a failure the build could not record
            row.status, row.message = "build failed", outcome.error_to_share
    write_whole(out_root, "index.html", roster_page(rows))
    write_whole(out_root, ROSTER_CSV, roster_csv(rows))
    return out_root / "index.html"


def write_whole(out_root: Path, name: str, text: str) -> None:
    """Write one file of the roster whole, readable like the letters, or say in one paragraph why not."""
    try:
        publish.write_whole(out_root, name, text)  # a class whose every case failed made no folder yet
    except OSError as exc:
        raise ExportError(
            str(out_root / name), f"the class roster cannot be written ({exc.strerror})",
            "Check the output folder's permissions and free space, or choose another --out.",
        ) from None


def link_to(relative: str) -> str:
    """A relative link to a file the build wrote: ``./`` first and every part quoted.

    A case's name is a file name and may hold anything, ``javascript:...`` among it; quoted and
    behind ``./``, a link can only ever be a path into the output folder.
    """
    return "./" + "/".join(quote(part) for part in relative.split("/"))


def status_words(row: RosterRow) -> str:
    """The status as the roster says it: 'draft: 3 items to complete', 'check errors: 2 identifiers'."""
    if row.status == "draft":
        return f"draft: {row.to_complete} item{'s' if row.to_complete != 1 else ''} to complete"
    if row.status == "check errors" and row.identifiers:
        return f"check errors: {row.identifiers} identifier{'s' if row.identifiers != 1 else ''}"
    return row.status


def measure_cell(measure: dict | None) -> tuple[str, str, int]:
    """(text, css class, sort key) of a count against its limit: '756 / 600 (156 over)'."""
    if not measure:
        return "—", "", -1
    count, limit, excess = measure.get("count", 0), measure.get("limit"), measure.get("excess", 0)
    if limit is None:
        return (f"{count} (limit not confirmed)" if measure.get("unconfirmed") else str(count)), "", count
    return (f"{count} / {limit}" + (f" ({excess} over)" if excess else "")), ("over" if excess else ""), count


def roster_page(rows: list[RosterRow]) -> str:
    """The roster as one self-contained page; every value escaped."""
    body = "\n".join(roster_html_row(row) for row in rows)
    return ROSTER_PAGE.replace("{count}", str(len(rows))).replace("{rows}", body)


def roster_html_row(row: RosterRow) -> str:
    """One row: each cell carries the value it sorts by."""
    e = html.escape
    cells = [f'<td data-sort="{e(row.name)}">{e(row.name)}</td>']
    words = status_words(row)
    detail = f'<br><span class="message">{e(row.message)}</span>' if row.message else ""
    cells.append(f'<td data-sort="{e(row.status)}"><span class="status {STATUS_CLASS[row.status]}">{e(words)}'
                 f"</span>{detail}</td>")
    for name in ("words", "references", "figures"):
        text, css, key = measure_cell(row.measures.get(name))
        cells.append(f'<td data-sort="{key}" class="{css}">{e(text)}</td>')
    care = ", ".join(row.care_missing)
    cells.append(f'<td data-sort="{len(row.care_missing)}">{e(care) or "none"}</td>')
    marked = "over" if row.identifiers else ""
    cells.append(f'<td data-sort="{row.identifiers}" class="{marked}">{row.identifiers}</td>')
    findings = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in sorted(row.findings.items()))
    cells.append(f'<td data-sort="{sum(row.findings.values())}">{e(findings) or "none"}</td>')
    links = [f'<a href="{e(link_to(path))}">{label}</a>' for label, path in row.files]
    if row.report:
        links.append(f'<a href="{e(link_to(row.report))}">check report</a>')
    cells.append(f'<td data-sort="{len(links)}">{" ".join(links) or "—"}</td>')
    return "<tr>" + "".join(cells) + "</tr>"


CSV_COLUMNS = [
    "case", "status", "items_to_complete", "words", "word_limit", "references", "reference_limit", "figures",
    "figure_limit", "care_missing", "identifiers", "errors", "warnings", "notes", "check_report", "message",
]


def roster_csv(rows: list[RosterRow]) -> str:
    """The roster for a gradebook: one line per case, the counts as numbers."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        counts = []
        for name in ("words", "references", "figures"):
            measure = row.measures.get(name) or {}
            counts += [measure.get("count", ""), "" if measure.get("limit") is None else measure["limit"]]
        writer.writerow([
            spreadsheet_safe(row.name), row.status, row.to_complete, *counts, "; ".join(row.care_missing),
            row.identifiers, *(row.findings.get(s, 0) for s in ("error", "warning", "note")), row.report,
            spreadsheet_safe(row.message),
        ])
    return out.getvalue()


def spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet shows as text: a leading = + - @ would make it a formula."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


ROSTER_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Case letters: roster</title>
<style>
body { font-family: "Helvetica Neue", Arial, sans-serif; margin: 2rem auto; max-width: 80rem; color: #1a1a1a; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.4rem 0.6rem; border-bottom: 1px solid #ddd; vertical-align: top; }
th { cursor: pointer; background: #f4f4f6; user-select: none; } th::after { content: " \\2195"; color: #999; }
.status { padding: 0.1rem 0.4rem; border-radius: 3px; font-weight: 600; white-space: nowrap; }
.ready { background: #e3f4e6; color: #17602a; } .draft { background: #fff2cc; color: #7a5600; }
.errors { background: #fde2e4; color: #9b0019; } .failed { background: #9b0019; color: #fff; }
.over { color: #9b0019; font-weight: 600; } .message { color: #555; font-size: 0.9em; }
a { margin-right: 0.6rem; }
</style></head>
<body><h1>Case letters</h1><p>{count} case(s). Click a column's heading to sort by it. The letters linked
are each case's last good build; a case that failed says why, and links the check report of its
current state. <a href="./roster.csv">roster.csv</a> holds the same rows for a gradebook.</p>
<table><thead><tr><th>Case</th><th>Status</th><th>Words</th><th>References</th><th>Figures</th>
<th>CARE items missing</th><th>Identifiers</th><th>Check findings</th><th>Files</th></tr></thead>
<tbody>
{rows}
</tbody></table>
<script>
document.querySelectorAll("th").forEach(function (th, column) {
  th.addEventListener("click", function () {
    var body = th.closest("table").tBodies[0], rows = Array.from(body.rows);
    var down = th.dataset.down !== "1"; th.dataset.down = down ? "1" : "0";
    rows.sort(function (a, b) {
      var x = a.cells[column].dataset.sort, y = b.cells[column].dataset.sort;
      var n = parseFloat(x) - parseFloat(y);
      var c = isNaN(n) ? x.localeCompare(y) : n;
      return down ? c : -c;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  });
});
</script></body></html>
"""

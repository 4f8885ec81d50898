"""The check report: every finding with the CARE checklist and the counts, as data, JSON and an HTML page.

The page is what an educator sends back as feedback (``check.html`` beside each letter): one
self-contained file, every value escaped.
"""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from caseletter.checks.care_items import NOT_APPLICABLE, CareItem
from caseletter.checks.finding import ERROR, SEVERITIES, Finding
from caseletter.checks.limits import Measure


@dataclass
class CheckReport:
    """Every finding of one check, with the CARE checklist and the counts behind them."""

    case_path: Path
    journal: str = ""
    article_type: str = ""
    findings: list[Finding] = field(default_factory=list)
    care: list[CareItem] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        """True when a finding blocks the build."""
        return any(f.severity == ERROR for f in self.findings)

    @property
    def placeholders(self) -> list[Finding]:
        """The fields still holding a TODO or a template prompt."""
        return [f for f in self.findings if f.kind == "placeholder"]

    @property
    def status(self) -> str:
        """"blocked" by an error to fix, "draft" while only placeholders are left, else "passed"."""
        errors = [f for f in self.findings if f.severity == ERROR]
        if not errors:
            return "passed"
        return "draft" if all(f.kind == "placeholder" for f in errors) else "blocked"

    @property
    def blocking(self) -> list[Finding]:
        """The errors a letter cannot be written with (identifiers and placeholders are dealt with apart)."""
        return [f for f in self.findings if f.severity == ERROR and f.kind not in ("identifier", "placeholder")]

    @property
    def identifiers(self) -> list[Finding]:
        """The Safe Harbor identifiers found (text fields, legends and figure files)."""
        return [f for f in self.findings if f.kind == "identifier"]

    def count(self, severity: str) -> int:
        """How many findings have this severity."""
        return sum(f.severity == severity for f in self.findings)

    def roster(self) -> dict[str, Any]:
        """What a class roster shows of this check: status, items to complete, counts against limits, gaps.

        JSON-safe; a build records it beside the letter (or beside its failure), so the roster is
        written without checking any case again.
        """
        return {
            "status": self.status,
            "placeholders": len(self.placeholders),
            "measures": [
                {"name": m.name, "count": m.count, "limit": m.limit, "excess": m.excess, "unconfirmed": m.unconfirmed}
                for m in self.measures
            ],
            "care_missing": [item.topic for item in self.care if item.status == "missing"],
            "identifiers": len(self.identifiers),
            "findings": {s: self.count(s) for s in SEVERITIES if self.count(s)},
        }

    def to_json(self) -> dict[str, Any]:
        """The report as JSON-safe data, for tools (``caseletter check --json``)."""
        return {
            "case": str(self.case_path),
            "journal": self.journal,
            "article_type": self.article_type,
            "passed": not self.has_errors,
            "status": self.status,
            "counts": {s: self.count(s) for s in SEVERITIES},
            "findings": [asdict(f) for f in self.findings],
            "care": [{**asdict(item), "found_in": list(item.found_in)} for item in self.care],
            "measures": [{**asdict(m), "excess": m.excess} for m in self.measures],
        }


def where(finding: Finding) -> str:
    """The field, with its line in the case file when known."""
    return f"{finding.field} (line {finding.line})" if finding.line else finding.field


def summary_line(report: CheckReport) -> str:
    """Counts against limits, the CARE tally and the verdict, in one line."""
    measures = ", ".join(m.shown for m in report.measures)
    statuses = [item.status for item in report.care]
    care = ", ".join(
        f"{statuses.count(s)} {s}" for s in ("present", "partial", "missing", NOT_APPLICABLE) if statuses.count(s)
    )
    tally = ", ".join(f"{report.count(s)} {s}{'s' if report.count(s) != 1 else ''}" for s in SEVERITIES)
    verdict = {
        "blocked": "blocked: fix the errors before building",
        "draft": f"draft: {len(report.placeholders)} item(s) to complete",
        "passed": "passed",
    }[report.status]
    scan = "" if report.identifiers else " No identifier found by the scan: read the text once more yourself."
    return f"{measures}. CARE: {care}. {tally}: {verdict}.{scan}"


_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:60rem;
margin:2rem auto;padding:0 1rem;color:#1d1d1f}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f6}.error{color:#b00020;font-weight:600}.warning{color:#8a5a00;font-weight:600}.note{color:#1f5f8b}
.verdict{padding:.5rem .75rem;border-radius:4px}.passed{background:#e7f5ea}.blocked{background:#fde8ea}
code{background:#f4f4f6;padding:0 .2rem}.rule{color:#555;font-size:.9em}
.present{color:#1b6e2d}.partial{color:#8a5a00}.missing{color:#b00020}
"""


def render_check_html(report: CheckReport, shown_path: str | None = None) -> str:
    """The report as one self-contained HTML page (inline CSS, no scripts); every value escaped.

    `shown_path` is how the page names the case file (a build names it relative to the page).
    """
    e = html.escape
    verdict = (
        ("blocked", "Errors block the build.")
        if report.has_errors
        else ("passed", "No errors: the letter can be built.")
    )
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Check: {e(report.case_path.name)}</title><style>{_CSS}</style></head><body>",
        f"<h1>Check of {e(shown_path or str(report.case_path))}</h1>",
        f"<p>Journal <code>{e(report.journal)}</code>, article type <code>{e(report.article_type)}</code>.</p>",
        f'<p class="verdict {verdict[0]}">{e(verdict[1])} {e(summary_line(report))}</p>',
        _findings_html(report), _measures_html(report), _care_html(report), "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _findings_html(report: CheckReport) -> str:
    e = html.escape
    if not report.findings:
        return "<h2>Findings</h2><p>None.</p>"
    rows = []
    for f in report.findings:
        span = f" [{f.start}:{f.end}]" if f.start is not None else ""
        text = f"<br><code>{e(f.text)}</code>{e(span)}" if f.text else ""
        kind = f"{f.kind}: {f.detail}" if f.detail else f.kind
        rows.append(
            f'<tr><td class="{e(f.severity)}">{e(f.severity)}</td><td>{e(kind)}</td><td>{e(where(f))}{text}</td>'
            f"<td>{e(f.message)}</td><td>{e(f.suggestion)}</td></tr>"
        )
    head = "<tr><th>Severity</th><th>Kind</th><th>Where</th><th>Finding</th><th>What to do</th></tr>"
    return f"<h2>Findings</h2><table>{head}{''.join(rows)}</table>"


def _measures_html(report: CheckReport) -> str:
    e = html.escape
    rows = []
    for m in report.measures:
        limit = "none" if m.limit is None else str(m.limit)
        over = f'<span class="warning">{m.excess} over</span>' if m.excess else "within"
        rows.append(
            f"<tr><td>{e(m.name)}</td><td>{m.count}</td><td>{e(limit)}</td><td>{over}</td>"
            f'<td class="rule">{e(m.rule)}</td></tr>'
        )
    head = "<tr><th>Counted</th><th>Count</th><th>Limit</th><th></th><th>How it is counted</th></tr>"
    return f"<h2>Counts and limits</h2><table>{head}{''.join(rows)}</table>"


def _care_html(report: CheckReport) -> str:
    e = html.escape
    rows = []
    for item in report.care:
        css = item.status.replace(" ", "-")
        rows.append(
            f'<tr><td>{item.number}</td><td>{e(item.topic)}</td><td class="{e(css)}">{e(item.status)}</td>'
            f'<td>{e(", ".join(item.found_in))}</td><td>{e(item.todo)}</td></tr>'
        )
    head = "<tr><th>#</th><th>CARE item</th><th>Status</th><th>Found in</th><th>What to add</th></tr>"
    return f"<h2>CARE checklist</h2><table>{head}{''.join(rows)}</table>"

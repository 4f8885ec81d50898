"""Everything the command line prints: the only module of the kit that writes to the terminal.

The library returns data (a check report, a dosing report, findings, build outcomes); these
functions turn it into rich tables, JSON or plain lines, on a console the command gives them.
"""

from __future__ import annotations

import json
import sys
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

STATUS_STYLE = {"built": "green", "unchanged": "cyan", "failed": "bold red"}
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "note": "cyan"}


def console(stderr: bool = False) -> Any:
    """A rich console on standard output (or error)."""
    from rich.console import Console

    return Console(stderr=stderr)


def print_error(message: str) -> None:
    """One wrapped paragraph on stderr."""
    print(textwrap.fill(message, width=100, break_long_words=False, break_on_hyphens=False), file=sys.stderr)


def print_json(data: Any, out: Any) -> None:
    """Indented JSON, with no markup or highlighting a terminal could misread."""
    out.print(json.dumps(data, indent=2, ensure_ascii=False), markup=False, highlight=False, soft_wrap=True)


def print_check_report(report: Any, out: Any) -> None:
    """Every finding as one compact rich table (severity, where, what and what to do), then the summary."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from caseletter.checks.report import summary_line

    title = f"caseletter check: {report.case_path} ({report.journal}, {report.article_type})"
    table = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False, expand=False)
    table.add_column("Severity", no_wrap=True)
    table.add_column("Where", overflow="fold", max_width=32)
    table.add_column("Finding", overflow="fold")
    for f in report.findings:
        finding = Text(f.message)
        if f.suggestion:
            finding.append(" → " + f.suggestion, style="dim")
        place = f"{f.field}:{f.line}" if f.line else f.field
        table.add_row(Text(f.severity, style=SEVERITY_STYLE[f.severity]), Text(place), finding)
    if report.findings:
        out.print(table)
    out.print(Text(summary_line(report)), soft_wrap=True)


def print_dosing_report(report: Any, out: Any) -> None:
    """A rich table of every regimen, then the assumptions, notes and warnings."""
    from rich.table import Table
    from rich.text import Text

    from caseletter.dosing.table import table_rows

    rows = table_rows(report)
    table = Table(title="Dosing", show_lines=False)
    for name in (
        "Source", "Regimen", "Phase", "Dose", "Frequency", "Infusion", "Duration", "Admin.", "Cumulative", "Per week",
        "Rate",
    ):
        table.add_column(name, overflow="fold")
    for row in rows:
        source = row.source if not row.cite else ", ".join(f"[{k}]" for k in row.cite)
        name = " ".join(x for x in (row.route, row.drug) if x) + (f" ({row.label})" if row.label else "")
        lines = (*row.phases, *(row.totals or (row.total,)))
        for i, p in enumerate(lines):
            first = i == 0
            dose = f"{p.drug}: {p.dose}" if p.drug else p.dose
            table.add_row(
                Text(source if first else ""), Text(name if first else ""), p.phase, dose, p.frequency,
                p.infusion_time, p.duration, p.administrations, p.cumulative_dose, p.dose_per_week, p.infusion_rate,
                end_section=i == len(lines) - 1,
            )
        if len(row.totals) > 1:
            table.add_row("", "", "Course", "", "", "", row.length, "", "", "", "", end_section=True)
        if row.course_length:
            table.add_row("", "", "Course", "", "", "", row.course_length, "", "", "", "", end_section=True)
    out.print(table)
    out.print(report.assumptions.describe(), markup=False, highlight=False)
    phase_notes = [f"{r.label or r.drug}, phase {p.phase}: {p.note}" for r in rows for p in r.phases if p.note]
    for line in report.notes + phase_notes:
        out.print(f"  {line}", markup=False, highlight=False)
    for warning in report.warnings:
        out.print(f"warning: {warning}", style="yellow", markup=False, highlight=False)


def print_identifiers(results: list[tuple[Path, str, list[Any]]], as_json: bool, out: Any) -> None:
    """Each identifier found: ``file:line:column: type 'text': advice``, or one JSON object a line."""
    for path, text, findings in results:
        for finding in findings:
            line = _finding_json(path, finding) if as_json else _finding_line(path, text, finding)
            out.print(line, markup=False, highlight=False, soft_wrap=True)


def _finding_json(path: Path, finding: Any) -> str:
    record = {"file": str(path), "start": finding.start, "end": finding.end, "type": finding.type,
              "text": finding.text, "suggestion": finding.suggestion}
    return json.dumps(record, ensure_ascii=False)


def _finding_line(path: Path, text: str, finding: Any) -> str:
    """``file:line:column: type 'text': advice``, the shape editors jump to."""
    line = text.count("\n", 0, finding.start) + 1
    column = finding.start - (text.rfind("\n", 0, finding.start) + 1) + 1
    return f"{path}:{line}:{column}: {finding.type} {finding.text!r}: {finding.suggestion}"


def print_journals(choices: list[Any], words: list[str], out: Any) -> None:
    """The journals found: style name, title, ISSN, the style it follows, and whether limits are checked."""
    from rich.table import Table

    if not choices:
        out.print(f"No journal matches {' '.join(words)!r}: try fewer or shorter words, or the ISSN.")
        return
    table = Table(title=f"journals matching {' '.join(words)!r}" if words else "journal profiles")
    for column in ("journal: (write this)", "title", "ISSN", "references follow", "limits"):
        table.add_column(column)
    for choice in choices:
        limits = "checked (profile)" if choice.profile else "not known: see its instructions"
        table.add_row(choice.key, choice.title, choice.issn or "—", choice.follows or "its own style", limits)
    out.print(table)


def print_build_result(outcome: Any) -> None:
    """One case: its files and timings, or that nothing changed."""
    result = outcome.result
    if outcome.status == "unchanged":
        print(
            f"{outcome.case_path}: unchanged since the last build, nothing rebuilt ({result.out_dir}; --force rebuilds)"
        )
        return
    stages = ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in result.timings.items())
    print(f"{outcome.case_path}: {', '.join(str(p) for p in result.files.values())} ({stages})")
    for line in result.log:
        print(f"  {line}")


@contextmanager
def class_progress(total: int) -> Iterator[Callable[[Any], None]]:
    """A progress bar on stderr while a class builds; yields the callback each finished case calls."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (
        TextColumn("building letters"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TextColumn("{task.description}"),
    )
    with Progress(*columns, console=console(stderr=True), transient=True) as progress:
        task = progress.add_task("", total=total)
        yield lambda o: progress.update(task, advance=1, description=f"{o.case_path.stem}: {o.status}")


def print_class_summary(outcomes: list[Any], out: Any) -> None:
    """A table: case, status, words, references, check findings, time; then each failure's message."""
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    from caseletter.build.index import summary_counts

    table = Table(title="caseletter build", show_lines=False)
    for column, justify in [
        ("case", "left"), ("status", "left"), ("words", "right"), ("references", "right"), ("findings", "left"),
        ("time", "right"),
    ]:
        table.add_column(column, justify=justify)
    for o in outcomes:
        words, refs, findings = summary_counts(o)
        table.add_row(
            Text(o.case_path.stem), Text(o.status, style=STATUS_STYLE[o.status]), words, refs, Text(findings),
            f"{o.seconds:.1f} s",
        )
    out.print(table)
    built = sum(o.status == "built" for o in outcomes)
    unchanged = sum(o.status == "unchanged" for o in outcomes)
    failed = [o for o in outcomes if o.status == "failed"]
    out.print(f"{built} built, {unchanged} unchanged (not rebuilt), {len(failed)} failed.")
    for o in failed:
        out.print(f"[bold red]failed:[/] {escape(o.error)}", highlight=False, soft_wrap=True, markup=True)


def print_pack_result(result: Any, out: Any) -> None:
    """The submission's files with their sizes, the zip, and each warning (a figure too small, ...)."""
    from rich.markup import escape

    out.print(f"Packed {escape(str(result.case_path))} into {escape(str(result.folder))}/:", highlight=False)
    for path in result.files:
        out.print(f"  {escape(path.name):<24} {path.stat().st_size / 1024:8.1f} kB", highlight=False)
    out.print(f"and {escape(str(result.zip_path))} ({result.zip_path.stat().st_size / 1024:.1f} kB).", highlight=False)
    for warning in result.warnings:
        out.print(f"[yellow]warning[/]: {escape(warning)}")
    out.print("Before you submit: write the claim marked in yellow in cover-letter.docx, and read every file.")

"""Citation integrity: every .bib file reads, every cited key exists, every entry can be printed.

Every fault of the .bib files is its own error finding, all in one run. Then four checks over
the case's citations and the entries that could be read. A key cited but defined nowhere is
an error (the letter cannot be built), reported at each place it is cited with the closest
keys that do exist. The same work under two keys (same DOI, or same title and year) is a
warning, since cited under both it would be numbered twice. A cited entry without a field
the journal's style prints (a journal article without volume or pages) is a warning, and so is a
journal article given only its journal's full title when the style prints abbreviations (AMA,
Vancouver). An entry never cited is a note: a shared references.bib serves several cases.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from caseletter.case.fields import citation_fields
from caseletter.case.model import Case
from caseletter.case.source import CaseSource
from caseletter.checks.finding import ERROR, NOTE, WARNING, Finding, entry_where, short_path
from caseletter.checks.profile import Profile
from caseletter.errors import BibliographyError, cut
from caseletter.references.bibliography import Bibliography
from caseletter.references.bibtex import BibEntry
from caseletter.references.case_bibliography import load_case_bibliography
from caseletter.references.keys import CLUSTER, KEY_IN_CLUSTER, cited_in_order

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def find(source: CaseSource, profile: Profile) -> list[Finding]:
    """Every fault of the .bib files, then every citation check on the entries that could be read."""
    try:
        bibliography = load_case_bibliography(source, strict=False)
    except BibliographyError as exc:  # a case's own .bib path leads outside its folder
        return [Finding(
            ERROR, "citation", "bibliography", exc.message, "Fix the path; the other citation checks ran on nothing.",
            detail="unreadable",
        )]
    cited = [key for key in cited_in_order(source.case) if key in bibliography]
    required = profile.journal.reference_fields if profile.journal else {}
    return [
        *(_problem_finding(problem) for problem in bibliography.problems),
        *find_unknown_keys(source.case, bibliography),
        *find_duplicate_entries(bibliography),
        *find_incomplete_entries(bibliography, cited, required),
        *find_unabbreviated_journals(bibliography, cited, profile),
        *find_uncited_entries(bibliography, cited),
    ]


def _problem_finding(problem: BibliographyError) -> Finding:
    """One fault of a .bib file, at its file and line."""
    return Finding(ERROR, "citation", problem.where, problem.why, problem.todo, problem.entry_key, detail="unreadable")


def find_unknown_keys(case: Case, bibliography: Bibliography) -> list[Finding]:
    """Each citation of a key no .bib holds, at its field and span, with the closest keys."""
    broken = {problem.entry_key for problem in bibliography.problems if problem.entry_key}
    findings = []
    for field, text in citation_fields(case):
        for key, start, end in locate_keys(field, text):
            if key in bibliography or key in broken:  # a broken entry is reported as such
                continue
            close = bibliography.closest_keys(key)
            hint = (
                f"Did you mean {', '.join(close)}?"
                if close
                else "Add the entry to references.bib or to the case's own .bib file."
            )
            span = (start, end) if start is not None else (None, None)
            findings.append(Finding(
                ERROR, "citation", field, f'cites "{cut(key, 60)}", which no .bib file holds', hint, f"@{key}", *span,
                detail="unknown_key",
            ))
    return findings


def locate_keys(field: str, text: str) -> list[tuple[str, int | None, int | None]]:
    """Cited keys with the span of ``@key`` in the field (no span for a regimen's ``cite`` list)."""
    spans = []
    for cluster in CLUSTER.finditer(text):
        for match in KEY_IN_CLUSTER.finditer(cluster.group("body")):
            at = cluster.start("body") + match.start("key") - 1
            spans.append((match.group("key"), at, cluster.start("body") + match.end("key")))
    if field.endswith(".cite"):
        return [(key, None, None) for key, _, _ in spans]
    return spans


def find_duplicate_entries(bibliography: Bibliography) -> list[Finding]:
    """Entries that are one work under two keys: the same DOI, or the same title and year."""
    groups: dict[tuple[str, str], list[BibEntry]] = defaultdict(list)
    for entry in bibliography.values():
        doi = _DOI_PREFIX.sub("", str(entry.fields.get("doi", ""))).strip().lower()
        if doi:
            groups[("DOI", doi)].append(entry)
        title, year = _normal_title(entry), _year(entry)
        if title and year:
            groups[("title and year", f"{title}|{year}")].append(entry)
    findings, reported = [], set()
    for (basis, _), entries in groups.items():
        keys = tuple(e.key for e in entries)
        if len(entries) < 2 or keys in reported:
            continue
        reported.add(keys)
        first, *others = entries
        names = ", ".join(e.key for e in others)
        findings.append(Finding(
            WARNING, "citation", entry_where(first),
            f"entries {first.key} and {names} have the same {basis}: one work under {len(entries)} keys",
            f"Keep one entry and cite it by one key; delete {names} or correct it if it is a different work.",
            first.key, detail="duplicate",
        ))
    return findings


def find_incomplete_entries(
    bibliography: Bibliography, cited: list[str], required: dict[str, list[str]]
) -> list[Finding]:
    """Cited entries that lack a field the style needs for their type ("a|b": either will do)."""
    findings = []
    for key in cited:
        entry = bibliography[key]
        missing = [
            spec.replace("|", " or ")
            for spec in required.get(entry.entry_type, [])
            if not any(_has_field(entry, name) for name in spec.split("|"))
        ]
        if missing:
            findings.append(Finding(
                WARNING, "citation", entry_where(entry),
                f"the {entry.entry_type} {key} has no {', '.join(missing)}, which the journal's style prints",
                f"Add {', '.join(missing)} to the entry (from the article's journal page or PubMed).",
                key, detail="incomplete",
            ))
    return findings


# Words NLM's journal abbreviations always shorten (ISO 4 / LTWA): a title holding one is the full title.
FULL_TITLE_WORDS = frozenset("""
journal american international clinical medicine medical dermatology dermatologic dermatological
research experimental european british annals archives proceedings reports review reviews science
sciences surgery surgical pediatrics paediatrics pediatric rheumatology therapeutics therapy
investigative pathology oncology cardiology neurology internal academy association society
transactions quarterly national university hospital diseases disease allergy immunology
""".split())
ABBREVIATION_FIELDS = ("shortjournal", "journalabbrev", "journal_abbrev")
_SHORT_FORM = re.compile(r'variable="container-title"[^>]*form="short"|form="short"[^>]*variable="container-title"')


def find_unabbreviated_journals(bibliography: Bibliography, cited: list[str], profile: Profile) -> list[Finding]:
    """Cited articles with only their journal's full title, when the style prints journals abbreviated."""
    if profile.journal is None or not style_abbreviates_journals(profile.journal.csl):
        return []
    findings = []
    for key in cited:
        entry = bibliography[key]
        title = str(entry.fields.get("journaltitle") or entry.fields.get("journal") or "")
        if entry.entry_type != "article" or any(_has_field(entry, f) for f in ABBREVIATION_FIELDS):
            continue
        if FULL_TITLE_WORDS & set(re.findall(r"[a-z]+", title.lower())):
            findings.append(Finding(
                WARNING, "citation", entry_where(entry),
                f"the article {key} gives its journal only as {cut(title, 80)!r}, which the style prints abbreviated",
                "Add the NLM abbreviation as shortjournal = {...} (PubMed shows it; CSL JSON: container-title-short; "
                "RIS: J2).", key, detail="journal_abbreviation",
            ))
    return findings


def style_abbreviates_journals(csl: Path) -> bool:
    """True when the CSL style prints a journal's short title (AMA, Vancouver), not its full one (APA)."""
    try:
        return bool(_SHORT_FORM.search(csl.read_text(encoding="utf-8", errors="replace")))
    except OSError:
        return False


def find_uncited_entries(bibliography: Bibliography, cited: list[str]) -> list[Finding]:
    """One note per .bib file listing the entries the letter never cites."""
    uncited: dict[Path, list[str]] = defaultdict(list)
    for key, entry in bibliography.items():
        if key not in cited:
            uncited[entry.source].append(key)
    return [
        Finding(
            NOTE, "citation", short_path(source),
            f"{len(keys)} entr{'y is' if len(keys) == 1 else 'ies are'} never cited: {', '.join(keys)}",
            "Cite them or leave them: uncited entries are not printed.", ", ".join(keys), detail="uncited",
        )
        for source, keys in uncited.items()
    ]


def _has_field(entry: BibEntry, name: str) -> bool:
    value = entry.fields.get(name)
    return value is not None and str(value).strip() not in ("", "{}")


def _normal_title(entry: BibEntry) -> str:
    return re.sub(r"[\W_]+", "", str(entry.fields.get("title", "")).lower())


def _year(entry: BibEntry) -> str:
    year = str(entry.fields.get("year", "") or str(entry.fields.get("date", ""))[:4]).strip()
    return year if year.isdigit() else ""

"""BibTeX entries, as bibtexparser leaves them, converted to CSL-JSON items.

The CSL processor formats; this module only decides what each field means. Doing it here
rather than in pandoc's own BibTeX reader keeps the things journals are strict about in our
hands: name parts (suffixes, particles, group authors, ``and others``), sentence case that
respects ``{Braces}``, page ranges, supplements and e-locators.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from caseletter.references.titles import plain_text, title_text

TYPE_MAP = {
    **dict.fromkeys(("article",), "article-journal"),
    **dict.fromkeys(("book", "manual", "booklet", "proceedings"), "book"),
    **dict.fromkeys(("incollection", "inbook"), "chapter"),
    **dict.fromkeys(("inproceedings", "conference"), "paper-conference"),
    **dict.fromkeys(("online", "electronic", "webpage", "www"), "webpage"),
    **dict.fromkeys(("techreport", "report"), "report"),
    **dict.fromkeys(("thesis", "phdthesis", "mastersthesis"), "thesis"),
    "unpublished": "manuscript",
}

#: Types whose own title AMA prints in sentence case; book and journal titles keep theirs.
SENTENCE_CASE_TYPES = frozenset({"article-journal", "chapter", "paper-conference", "webpage"})


_ORDINALS = {w: str(i) for i, w in enumerate(
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth".split())}
_SUFFIXES = {"jr": "Jr", "sr": "Sr", "2nd": "II", "3rd": "III", "4th": "IV"}
_SUPPL = re.compile(r"^(?:(?P<issue>\S+?)[\s,]+)?suppl(?:ement)?\.?\s*(?P<n>\S*)$", re.I)
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.I)


def build_csl_item(key: str, entry_type: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """Build the CSL-JSON item for one entry.

    Raises:
        ValueError: a field cannot be understood (the caller names file and line).
    """
    csl_type = csl_type_for(entry_type, fields)
    item: dict[str, Any] = {"id": key, "type": csl_type}
    for part in (
        _names(fields),
        _titles(csl_type, entry_type, fields),
        _numbers(csl_type, fields),
        _dates(fields),
        _publication(csl_type, entry_type, fields),
        _links(fields),
    ):
        item.update(part)
    return {k: v for k, v in item.items() if v not in (None, "", [])}


def csl_type_for(entry_type: str, fields: Mapping[str, Any]) -> str:
    """The CSL type of a BibTeX entry type; @misc with a URL is a web page."""
    entry_type = entry_type.lower()
    if entry_type == "misc":
        return "webpage" if _field(fields, "url") else "document"
    return TYPE_MAP.get(entry_type, "document")


# --- names -------------------------------------------------------------------------------


def convert_names(persons: Any) -> list[dict[str, str]]:
    """CSL names for a list of bibtexparser ``NameParts`` (``and others`` → "et al")."""
    if isinstance(persons, str) or not isinstance(persons, Sequence):
        raise ValueError(f"names {persons!r} were not split into persons")
    return [convert_name(person) for person in persons]


def convert_name(person: Any) -> dict[str, str]:
    """One CSL name: a group in braces is a literal; otherwise family, given, particle, suffix.

    ``and others`` becomes the literal name ``others``, which pandoc's citeproc prints as
    the style's "et al" term (its own BibTeX reader emits the same).
    """
    first, von, last, jr = person.first, person.von, person.last, person.jr
    if not (first or von or jr) and len(last) == 1:
        if last[0] == "others":
            return {"literal": "others"}
        if last[0].startswith("{") and last[0].endswith("}"):
            return {"literal": plain_text(last[0])}
    name = {
        "family": plain_text(" ".join(last)),
        "given": _given(first),
        "non-dropping-particle": plain_text(" ".join(von)),
        "suffix": _suffix(jr),
    }
    return {k: v for k, v in name.items() if v}


def _given(parts: list[str]) -> str:
    # "JPA" as PubMed exports it is three initials, not a name CSL should cut to "J".
    words = [plain_text(p) for p in parts]
    return " ".join(
        ". ".join(w) + "." if re.fullmatch(r"[A-Z]{2,3}", w) else w for w in words
    )


def _suffix(parts: list[str]) -> str:
    text = plain_text(" ".join(parts)).rstrip(".")
    return _SUFFIXES.get(text.lower(), text)


def _names(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {
        role: convert_names(fields[role])
        for role in ("author", "editor", "translator")
        if fields.get(role)
    }


# --- titles ------------------------------------------------------------------------------


def _titles(csl_type: str, entry_type: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    title, container = _field(fields, "title"), _container(csl_type, fields)
    if entry_type == "inbook" and not _field(fields, "booktitle"):
        # Classic BibTeX @inbook: "title" is the book; "chapter" is the part cited, by
        # title or (more often) by number, which goes to chapter-number instead.
        chapter = _field(fields, "chapter")
        title, container = ("" if chapter.isdigit() else chapter), title
    return {
        "title": title_text(title, csl_type in SENTENCE_CASE_TYPES) if title else None,
        "container-title": title_text(container, False) if container else None,
        "container-title-short": plain_text(
            _field(fields, "shortjournal", "journalabbrev", "journal_abbrev")),
        "collection-title": title_text(_field(fields, "series"), False),
        "title-short": plain_text(_field(fields, "shorttitle")),
    }


def _container(csl_type: str, fields: Mapping[str, Any]) -> str:
    if csl_type == "webpage":
        site = _field(fields, "organization", "publisher", "howpublished")
        return "" if site.startswith(("http://", "https://")) else site
    if csl_type in ("chapter", "paper-conference"):
        return _field(fields, "booktitle")
    return _field(fields, "journaltitle", "journal")


# --- numbers, dates, publisher, links ------------------------------------------------------


def _numbers(csl_type: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    issue = plain_text(_field(fields, "issue") or (
        "" if csl_type == "report" else _field(fields, "number")))
    supplement = plain_text(_field(fields, "supplement"))
    match = _SUPPL.match(issue)
    if match and not supplement:
        issue, supplement = match.group("issue") or "", match.group("n")
        issue = issue or ("suppl" if not supplement else "")
    return {
        "volume": plain_text(_field(fields, "volume")),
        "issue": issue,
        "supplement-number": supplement,
        "page": normalize_pages(_field(fields, "pages")),
        "number": plain_text(_field(fields, "eid") or (
            _field(fields, "number") if csl_type == "report" else "")),
        "edition": normalize_edition(_field(fields, "edition")),
        "chapter-number": _chapter_number(csl_type, fields),
    }


def _chapter_number(csl_type: str, fields: Mapping[str, Any]) -> str:
    chapter = plain_text(_field(fields, "chapter"))
    return chapter if csl_type == "chapter" and chapter.isdigit() else ""


def normalize_pages(pages: str) -> str:
    """``195--206``, ``195–206`` and ``pp. 195 - 206`` all become ``195-206``."""
    text = plain_text(pages)
    text = re.sub(r"^pp?\.\s*", "", text)
    return re.sub(r"\s*[-‐‑–—]+\s*", "-", text)


def normalize_edition(edition: str) -> str:
    """``8``, ``8th``, ``Eighth ed.`` → ``8``; a first edition is not printed (AMA)."""
    text = plain_text(edition).strip()
    word = re.sub(r"\s*(ed\.?|edition)$", "", text, flags=re.I).lower()
    number = _ORDINALS.get(word) or (re.fullmatch(r"(\d+)(?:st|nd|rd|th)?", word) or [None, None])[1]
    if number == "1":
        return ""
    return number or text


def _dates(fields: Mapping[str, Any]) -> dict[str, Any]:
    issued = parse_date(_field(fields, "date"), "date") if _field(fields, "date") else None
    if issued is None and _field(fields, "year"):
        issued = _year_month_day(fields)
    urldate = _field(fields, "urldate")
    return {"issued": issued, "accessed": parse_date(urldate, "urldate") if urldate else None}


def parse_date(text: str, field: str) -> dict[str, Any]:
    """``2016``, ``2016-01`` or ``2016-01-26`` as a CSL date."""
    match = _ISO_DATE.match(plain_text(text).strip())
    if not match:
        raise ValueError(f"{field} {text!r} is not a date written like 2019-06-18")
    return {"date-parts": [[int(p) for p in match.groups() if p]]}


def _year_month_day(fields: Mapping[str, Any]) -> dict[str, Any]:
    year = plain_text(_field(fields, "year")).strip()
    if not year.isdigit():
        return {"literal": year}
    parts = [int(year)]
    month = str(fields.get("month", "")).strip()
    if month.isdigit():
        parts.append(int(month))
        day = plain_text(_field(fields, "day")).strip()
        parts += [int(day)] if day.isdigit() else []
    return {"date-parts": [parts]}


def _publication(csl_type: str, entry_type: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    publisher = {
        "thesis": _field(fields, "school", "institution", "publisher"),
        "report": _field(fields, "institution", "publisher"),
        "webpage": "",
    }.get(csl_type, _field(fields, "publisher", "organization"))
    genre = _field(fields, "type")
    if csl_type == "thesis" and not genre:
        genre = "Master's thesis" if entry_type == "mastersthesis" else "Dissertation"
    return {
        "publisher": plain_text(publisher),
        "publisher-place": plain_text(_field(fields, "address", "location")),
        "genre": plain_text(genre),
    }


def _links(fields: Mapping[str, Any]) -> dict[str, Any]:
    doi = _DOI_PREFIX.sub("", _field(fields, "doi").strip())
    url = _field(fields, "url").strip()
    howpublished = plain_text(_field(fields, "howpublished")).strip()
    if not url and howpublished.startswith(("http://", "https://")):
        url = howpublished
    return {"DOI": doi, "URL": url}


def _field(fields: Mapping[str, Any], *names: str) -> str:
    for name in names:
        value = fields.get(name)
        if value not in (None, ""):
            return str(value)
    return ""



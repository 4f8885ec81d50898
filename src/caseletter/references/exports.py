"""What reference managers export besides BibTeX: CSL-JSON, RIS and PubMed's MEDLINE (.nbib).

Zotero and Mendeley export CSL-JSON, EndNote and most databases RIS, PubMed its MEDLINE format.
Each record is read into the same `BibEntry` a .bib file gives (BibTeX's field names, names split
into parts), so that every later stage — the CSL conversion, the citation and identifier checks,
the duplicate search — treats a reference the same whichever file it came from, and files of
different formats mix freely in one case.

A record's citation key is the one the file gives (CSL-JSON ``citation-key`` or ``id``, RIS
``ID``); where it gives none (PubMed, most RIS), it is made as Better BibTeX makes it: the first
author's family name and the year, lower case and without accents (``gutierrez2012``), with
``a``, ``b``, ... when two records of one file would share it. ``caseletter refs FILE --keys``
prints every key beside its reference.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from caseletter.errors import BibliographyError
from caseletter.references.bibtex import MAX_FIELD_CHARS, BibEntry, shorten

CSL_TO_BIBTEX_TYPE = {
    "article-journal": "article", "article": "article", "article-magazine": "article",
    "article-newspaper": "article", "review": "article", "book": "book", "chapter": "incollection",
    "paper-conference": "inproceedings", "webpage": "online", "post-weblog": "online", "report": "techreport",
    "thesis": "phdthesis", "manuscript": "unpublished", "dataset": "misc",
}
RIS_TO_BIBTEX_TYPE = {
    "JOUR": "article", "JFULL": "article", "EJOUR": "article", "MGZN": "article", "NEWS": "article",
    "BOOK": "book", "EBOOK": "book", "EDBOOK": "book", "CHAP": "incollection", "ECHAP": "incollection",
    "CONF": "inproceedings", "CPAPER": "inproceedings", "ELEC": "online", "WEB": "online", "RPRT": "techreport",
    "THES": "phdthesis", "UNPB": "unpublished",
}
SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
KEY_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_:.\-+]*$")  # a key a person would type


def parse_csl_json(path: Path, text: str) -> tuple[list[BibEntry], list[BibliographyError]]:
    """A CSL-JSON file (a list of items, as Zotero and Mendeley export it)."""
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [BibliographyError(f"{path}, line {exc.lineno}", f"this is not JSON: {exc.msg}",
                                      "Export the references again as CSL JSON.")]
    if isinstance(items, dict):
        items = items.get("items", [items])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        return [], [BibliographyError(str(path), "a CSL-JSON file holds a list of references",
                                      "Export the references again as CSL JSON.")]
    lines = _item_lines(text, len(items))
    records = [(line, csl_fields(item), _csl_key(item)) for line, item in zip(lines, items, strict=True)]
    return _entries(path, records)


def csl_fields(item: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """(BibTeX entry type, BibTeX-named fields) of one CSL-JSON item."""
    kind = CSL_TO_BIBTEX_TYPE.get(str(item.get("type", "")), "misc")
    container = "booktitle" if kind in ("incollection", "inproceedings") else "journal"
    fields: dict[str, Any] = {
        "title": item.get("title"), container: item.get("container-title"),
        "shortjournal": item.get("container-title-short") or item.get("journalAbbreviation"),
        "volume": item.get("volume"), "number": item.get("issue"), "pages": item.get("page"),
        "publisher": item.get("publisher"), "address": item.get("publisher-place"), "edition": item.get("edition"),
        "doi": item.get("DOI"), "url": item.get("URL"), "note": item.get("note"),
        "urldate": _csl_date(item.get("accessed")),
    }
    issued = item.get("issued") or {}
    parts = (issued.get("date-parts") or [[]])[0] if isinstance(issued, dict) else []
    if parts:
        fields["year"] = str(parts[0])
        if len(parts) > 1:
            fields["month"] = str(int(parts[1]))
    elif isinstance(issued, dict) and issued.get("literal"):
        fields["year"] = str(issued["literal"])
    for role in ("author", "editor", "translator"):
        if item.get(role):
            fields[role] = [_csl_name(name) for name in item[role]]
    return kind, {k: str(v) if isinstance(v, int) else v for k, v in fields.items() if v not in (None, "", [])}


def parse_ris(path: Path, text: str) -> tuple[list[BibEntry], list[BibliographyError]]:
    """An RIS file (EndNote, Mendeley, Zotero and most databases): ``TY`` ... ``ER`` records."""
    records, faults = [], []
    for line, tags in _tagged_records(text, r"^([A-Z][A-Z0-9])  - ?(.*)$", start="TY", end="ER"):
        if "TY" not in tags:
            faults.append(BibliographyError(f"{path}, line {line}", "a record does not start with its type (TY)",
                                            "Export the references again as RIS."))
            continue
        records.append((line, ris_fields(tags), _first(tags, "ID")))
    entries, more = _entries(path, records)
    return entries, faults + more


def ris_fields(tags: dict[str, list[str]]) -> tuple[str, dict[str, Any]]:
    """(BibTeX entry type, BibTeX-named fields) of one RIS record."""
    kind = RIS_TO_BIBTEX_TYPE.get(_first(tags, "TY").upper(), "misc")
    container = "booktitle" if kind in ("incollection", "inproceedings") else "journal"
    start, end = _first(tags, "SP"), _first(tags, "EP")
    year, month = _ris_date(_first(tags, "PY", "Y1", "DA"))
    fields = {
        "title": _first(tags, "TI", "T1"), container: _first(tags, "T2", "JF", "JO", "BT"),
        "shortjournal": _first(tags, "J2", "JA", "J1"), "volume": _first(tags, "VL"),
        "number": _first(tags, "IS"), "pages": f"{start}-{end}" if start and end else start,
        "publisher": _first(tags, "PB"), "address": _first(tags, "CY"), "doi": _first(tags, "DO"),
        "url": _first(tags, "UR"), "edition": _first(tags, "ET"), "year": year, "month": month,
        "author": [_comma_name(n) for n in tags.get("AU", []) + tags.get("A1", [])],
        "editor": [_comma_name(n) for n in tags.get("ED", []) + tags.get("A2", [])] if kind != "article" else [],
    }
    return kind, {k: v for k, v in fields.items() if v not in (None, "", [])}


def parse_medline(path: Path, text: str) -> tuple[list[BibEntry], list[BibliographyError]]:
    """PubMed's MEDLINE format (.nbib, .txt): records of ``TAG - value`` lines, a blank line between."""
    records = []
    for line, tags in _tagged_records(text, r"^([A-Z]{2,4})\s*- (.*)$", start="PMID", end=None):
        records.append((line, medline_fields(tags), None))
    if not records:
        return [], [BibliographyError(str(path), "no PubMed record (PMID- ...) was found",
                                      "In PubMed, Send to > Citation manager, and save the .nbib file.")]
    return _entries(path, records)


def medline_fields(tags: dict[str, list[str]]) -> tuple[str, dict[str, Any]]:
    """(BibTeX entry type, BibTeX-named fields) of one MEDLINE record."""
    names = [_comma_name(n) for n in tags.get("FAU", [])] or [_initials_name(n) for n in tags.get("AU", [])]
    names += [_literal(n) for n in tags.get("CN", [])]
    doi = next((v.split(" [")[0] for v in tags.get("AID", []) + tags.get("LID", []) if v.endswith("[doi]")), "")
    year = (re.match(r"\d{4}", _first(tags, "DP")) or [""])[0]
    fields = {
        "title": _first(tags, "TI").rstrip("."), "journal": _first(tags, "JT"), "shortjournal": _first(tags, "TA"),
        "volume": _first(tags, "VI"), "number": _first(tags, "IP"), "pages": _first(tags, "PG"),
        "year": year, "doi": doi, "author": names, "pmid": _first(tags, "PMID"),
    }
    return "article", {k: v for k, v in fields.items() if v not in (None, "", [])}


# --- records and keys --------------------------------------------------------------------------


def _entries(path: Path, records: Iterable[tuple[int, tuple[str, dict[str, Any]], str | None]],
             ) -> tuple[list[BibEntry], list[BibliographyError]]:
    """BibEntries with their keys: the file's own where valid, else made from author and year."""
    entries, faults, taken = [], [], set()
    for line, (kind, fields), given in records:
        key = given if given and KEY_PATTERN.match(given) else made_key(fields, taken)
        if key in taken:
            faults.append(BibliographyError(f"{path}, line {line}, entry {shorten(key)}",
                                            f"the key {key!r} is used twice in this file", "Rename one of them."))
            continue
        taken.add(key)
        if not fields.get("title"):
            faults.append(BibliographyError(f"{path}, line {line}, entry {shorten(key)}", "the reference has no title",
                                            "Add the title in your reference manager and export again."))
            continue
        entries.append(BibEntry(key, kind, fields, path, line))
    return entries, faults


def too_long_fields(entry: BibEntry) -> list[BibliographyError]:
    """A fault for each field longer than any reference's field is (as for a .bib file)."""
    return [
        BibliographyError(entry.where, f"the field {name} is longer than {MAX_FIELD_CHARS:,} characters",
                          "Check the exported file: a reference's field is a few hundred characters at most.")
        for name, value in entry.fields.items() if isinstance(value, str) and len(value) > MAX_FIELD_CHARS
    ]


def made_key(fields: dict[str, Any], taken: set[str]) -> str:
    """``family`` + ``year`` of the first author, lower case, accents removed; a, b, ... when taken."""
    authors = fields.get("author") or fields.get("editor") or []
    family = " ".join(authors[0].last) if authors else str(fields.get("title", "anon")).split()[0]
    folded = unicodedata.normalize("NFKD", family).encode("ascii", "ignore").decode().lower()
    base = re.sub(r"[^a-z0-9]", "", folded) or "ref"
    base += str(fields.get("year", ""))
    key, n = base, 0
    while key in taken:
        key, n = base + "abcdefghijklmnopqrstuvwxyz"[n % 26], n + 1
    return key


def _tagged_records(text: str, tag_line: str, start: str, end: str | None,
                    ) -> Iterable[tuple[int, dict[str, list[str]]]]:
    """Records of tagged lines (RIS, MEDLINE): (first line, values by tag); continuation lines are joined."""
    pattern = re.compile(tag_line)
    tags: dict[str, list[str]] = {}
    first, last = 0, ""
    for number, raw in enumerate(text.splitlines(), 1):
        match = pattern.match(raw.rstrip())
        if match:
            tag, value = match.group(1), match.group(2).strip()
            if tag == start and tags:
                yield first, tags
                tags = {}
            if not tags:
                first = number
            if tag == end:
                yield first, tags
                tags, last = {}, ""
                continue
            tags.setdefault(tag, []).append(value)
            last = tag
        elif raw.startswith("      ") and last and tags.get(last):  # MEDLINE wraps long values
            tags[last][-1] += " " + raw.strip()
    if tags:
        yield first, tags


def _first(tags: dict[str, list[str]], *names: str) -> str:
    return next((tags[n][0] for n in names if tags.get(n)), "")


# --- names and dates ---------------------------------------------------------------------------


def _name_parts(family: str, given: str = "", particle: str = "", suffix: str = "") -> Any:
    from bibtexparser.middlewares.names import NameParts

    return NameParts(first=given.split(), von=particle.split(), last=[family] if family else [],
                     jr=suffix.split())


def _literal(name: str) -> Any:
    """A group author, kept whole (as BibTeX writes it in braces)."""
    return _name_parts("{" + name.replace("{", "").replace("}", "") + "}")


def _csl_name(name: dict[str, Any]) -> Any:
    if name.get("literal"):
        return _literal(str(name["literal"]))
    particle = " ".join(str(name.get(p, "")) for p in ("dropping-particle", "non-dropping-particle")).strip()
    return _name_parts(str(name.get("family", "")), str(name.get("given", "")), particle,
                       str(name.get("suffix", "")))


def _comma_name(text: str) -> Any:
    """``Family, Given`` (RIS, MEDLINE FAU), ``Family, Given, Suffix`` or ``Family, Given Jr``."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) == 1:
        return _literal(parts[0])
    family, given, suffix = parts[0], parts[1], parts[2] if len(parts) > 2 else ""
    words = given.split()
    if not suffix and words and words[-1].lower() in SUFFIXES:
        given, suffix = " ".join(words[:-1]), words[-1]
    return _name_parts(family, given, suffix=suffix)


def _initials_name(text: str) -> Any:
    """``Wetter DA`` or ``Gutierrez A Jr`` (MEDLINE AU)."""
    words = text.split()
    suffix = words.pop() if len(words) > 2 and words[-1].lower() in SUFFIXES else ""
    if len(words) > 1 and words[-1].isupper():
        return _name_parts(" ".join(words[:-1]), words[-1], suffix=suffix)
    return _literal(text)


def _csl_date(value: Any) -> str:
    parts = (value or {}).get("date-parts", [[]])[0] if isinstance(value, dict) else []
    return "-".join(f"{int(p):02d}" if i else str(p) for i, p in enumerate(parts)) if parts else ""


def _ris_date(text: str) -> tuple[str, str]:
    """RIS dates: ``2012``, ``2012/05/01/``, ``2012/05//``."""
    parts = [p for p in text.split("/") if p.strip()]
    year = parts[0].strip()[:4] if parts else ""
    month = str(int(parts[1])) if len(parts) > 1 and parts[1].strip().isdigit() else ""
    return year, month


def _csl_key(item: dict[str, Any]) -> str | None:
    key = item.get("citation-key") or item.get("citationKey") or item.get("id")
    return str(key) if key not in (None, "") else None


def _item_lines(text: str, count: int) -> list[int]:
    """The line each item of a JSON list starts on: where each object one level inside the list opens."""
    lines, depth, line, in_string, escaped = [], 0, 1, False, False
    for char in text:
        line += char == "\n"
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if char == "{" and depth == 2:
                lines.append(line)
        elif char in "]}":
            depth -= 1
    return (lines + [1] * count)[:count]


READERS: dict[str, Callable[[Path, str], tuple[list[BibEntry], list[BibliographyError]]]] = {
    ".json": parse_csl_json, ".ris": parse_ris, ".nbib": parse_medline, ".medline": parse_medline,
}

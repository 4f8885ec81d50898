"""Journal styles: a folder per journal holding its profile (`journal.yaml`) and its CSL file.

The kit ships its styles under ``templates/journals/``; a user can keep their own beside their
cases in a ``journals/`` folder (or point ``CASELETTER_JOURNALS`` at one), and a folder there
wins over a shipped one of the same name. Adding a journal is adding a folder, never code.

A profile gives, per article type, the limits a submission is checked against
(``word_limit``, ``reference_limit``, ``figure_limit``, ``abstract_word_limit``; ``null`` for
none), whether an abstract is wanted (``abstract``, ``structured_abstract``), the journal's own
names for the sections (``sections``), and which CARE checklist items do not apply
(``care_not_applicable``); what its submission system asks for (``submission``: a blinded
manuscript, the figure files' format, resolution, width and names, the declarations required);
and, for the whole journal, the fields its reference style needs per BibTeX entry type
(``reference_fields``) and the order of a laboratory value's units (``lab_units``: ``si_first``,
the default, ``conventional_first`` or ``as_reported``). A misspelt key is refused rather than
silently ignored, since a limit nobody checks is worse than an error.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from caseletter.errors import UnknownStyle, cut
from caseletter.paths import BIB_SEARCH_DEPTH, resolve_inside, templates_dir

JOURNAL_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
RANGE_DELIMITER = re.compile(r"[-‐‑‒–—―~/:,.]{1,3}")
CSL_STYLE = "{http://purl.org/net/xbiblio/csl}style"
LIMITS = ("word_limit", "reference_limit", "figure_limit")
ARTICLE_TYPE_KEYS = {
    "word_limit": int, "reference_limit": int, "figure_limit": int, "abstract": bool, "care_not_applicable": list,
    "source": str, "read_on": str, "unconfirmed": list, "abstract_word_limit": int, "structured_abstract": bool,
    "sections": dict,
}
#: Sections a profile may rename, and what the kit calls them (the order stays CARE's).
SECTION_NAMES = (
    "abstract", "keywords", "introduction", "case_presentation", "timeline", "diagnostic_assessment", "intervention",
    "follow_up", "discussion", "strengths_limitations", "learning_points", "patient_perspective", "consent",
    "declarations", "references", "practice_points", "case", "dosing",
)
#: What a submission may require of the case file, by the name a profile's ``submission.requires`` uses.
REQUIREMENTS = ("orcid", "credit", "conflicts", "funding", "acknowledgements", "email", "address", "phone")
FIGURE_FORMATS = ("tif", "png")
URL = re.compile(r"https?://\S+")
#: How a laboratory value prints: SI first with conventional units in parentheses, the reverse, or as reported.
LAB_UNITS = ("si_first", "conventional_first", "as_reported")
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

#: What an AMA-style reference needs, per BibTeX entry type; "a|b" means either field will do.
DEFAULT_REFERENCE_FIELDS: dict[str, list[str]] = {
    "article": ["author", "title", "journal|journaltitle", "year|date", "volume", "pages|eid"],
    "book": ["author|editor", "title", "publisher", "year|date"],
    "incollection": ["author", "title", "booktitle", "editor", "publisher", "year|date", "pages"],
    "inbook": ["author", "title", "booktitle|chapter", "publisher", "year|date"],
    "online": ["title", "url", "urldate"],
}


@dataclass(frozen=True)
class ArticleType:
    """One article type of a journal: its limits (None = no limit) and the CARE items it skips."""

    name: str
    word_limit: int | None = None
    reference_limit: int | None = None
    figure_limit: int | None = None
    abstract: bool = False
    care_not_applicable: tuple[str, ...] = ()
    source: str = ""  # the journal's instructions the limits were read from
    read_on: str = ""  # the day they were read (YYYY-MM-DD)
    unconfirmed: tuple[str, ...] = ()  # limits nobody could confirm there: left empty, and said so
    abstract_word_limit: int | None = None
    structured_abstract: bool = False  # background, case presentation, conclusions
    sections: dict[str, str] = field(default_factory=dict)  # the journal's headings, by the kit's section names


@dataclass(frozen=True)
class SubmissionRules:
    """What the journal's submission system asks for: the manuscript's layout, the figure files, the declarations."""

    blinded: bool = False  # the manuscript names no author (double-blind review)
    figure_format: str = "tif"
    figure_dpi: int = 300
    figure_width_mm: float = 84.0  # a single column, the narrowest a figure prints
    figure_name: str = "Figure{number}"
    requires: tuple[str, ...] = ()  # case-file fields the check asks for (see REQUIREMENTS)
    source: str = ""
    read_on: str = ""


@dataclass(frozen=True)
class Journal:
    """A journal's profile: its name, its CSL style and its limits per article type."""

    key: str
    folder: Path | None  # None for a CSL style named without a profile folder
    name: str
    csl: Path
    article_types: dict[str, dict[str, Any]] = field(default_factory=dict)
    citation_range_delimiter: str = "–"
    reference_fields: dict[str, list[str]] = field(default_factory=lambda: dict(DEFAULT_REFERENCE_FIELDS))
    lab_units: str = "si_first"  # SI, the international standard, unless the profile asks otherwise
    submission: SubmissionRules = field(default_factory=SubmissionRules)

    def article_type(self, name: str) -> ArticleType | None:
        """One article type as a typed record; None when the profile does not list it."""
        if name not in self.article_types:
            return None
        values = dict(self.article_types[name])
        values["care_not_applicable"] = tuple(values.get("care_not_applicable") or ())
        values["unconfirmed"] = tuple(values.get("unconfirmed") or ())
        values["sections"] = dict(values.get("sections") or {})
        return ArticleType(name=name, **values)


def journal_search_path(case_path: Path | None = None) -> list[Path]:
    """Folders searched for journal styles, the user's own first."""
    folders = []
    if os.environ.get("CASELETTER_JOURNALS"):
        folders.append(Path(os.environ["CASELETTER_JOURNALS"]))
    if case_path is not None:  # beside the case, then in the folders above it (a workspace's journals/)
        case_folder = Path(case_path).resolve().parent
        folders += [folder / "journals" for folder in [case_folder, *list(case_folder.parents)[:BIB_SEARCH_DEPTH]]]
    folders.append(templates_dir() / "journals")
    return folders


def available_journals(case_path: Path | None = None) -> list[str]:
    """Names of every journal style found on the search path."""
    names = {
        p.name
        for folder in journal_search_path(case_path)
        if folder.is_dir()
        for p in folder.iterdir()
        if (p / "journal.yaml").is_file()
    }
    return sorted(names)


def journal_folder(key: str, case_path: Path | None = None) -> Path | None:
    """The folder a journal style of that name is read from, or None; by file existence alone."""
    if not JOURNAL_KEY.fullmatch(str(key)):
        return None
    found = (folder / key for folder in journal_search_path(case_path) if (folder / key / "journal.yaml").is_file())
    return next(found, None)


def load_journal(key: str, case_path: Path | None = None) -> Journal:
    """Find and read a journal style by its folder name.

    Raises:
        UnknownStyle: no folder of that name (or a name that cannot be a folder name, such as
            one holding a path separator), listing the styles that exist; the message names
            the case file when one is given.
    """
    choices = ", ".join(available_journals(case_path)) or "none found"
    where = f"{case_path}, journal" if case_path is not None else "journal style"
    todo = (
        f"Use a journal profile ({choices}), a CSL style's name (`caseletter journals WORDS` finds one), "
        "or add a folder with journal.yaml and style.csl under journals/."
    )
    if not JOURNAL_KEY.fullmatch(str(key)):
        shown = cut(str(key), 40)
        raise UnknownStyle(where, f"{shown!r} is not a style name (letters, digits, '-' and '_', at most 64)", todo)
    folder = journal_folder(key, case_path)
    if folder is not None:
        return _read_journal(key, folder)
    from caseletter.styles import is_style_name, style_info, style_path

    if not is_style_name(key):
        raise UnknownStyle(where, f'no journal profile or CSL style "{key}"', todo)
    return Journal(key=key, folder=None, name=style_info(key).title, csl=style_path(key, where))


@dataclass(frozen=True)
class JournalChoice:
    """One line of ``caseletter journals``: what to write in ``journal:``, and what the kit knows of it."""

    key: str
    title: str
    issn: str
    follows: str  # the independent CSL style its references follow ("" when it is one)
    profile: Path | None  # the profile checking its limits, if the kit or the user has one


def list_journals(words: list[str], case_path: Path | None = None) -> list[JournalChoice]:
    """Journal profiles and CSL styles whose title, name or ISSN holds every word; profiles first.

    No words lists the profiles alone (the 10,000 styles are found by searching).
    """
    from caseletter.styles import search_styles, style_info

    wanted = [w.lower() for w in words]
    profiles = []
    for key in available_journals(case_path):
        path = journal_folder(key, case_path) / "journal.yaml"
        profile = _read_profile(path)
        style = str(profile.get("csl_style", ""))
        info = style_info(style) if style and JOURNAL_KEY.fullmatch(style) else None
        title = str(profile.get("name", key))
        issn = str(profile.get("issn", "")) or (info.issn or info.eissn if info else "")
        follows = (info.parent or info.name) if info else ""
        if all(w in f"{title} {key} {issn}".lower() for w in wanted):
            profiles.append(JournalChoice(key, title, issn, follows, path))
    if not words:
        return profiles
    listed = {p.key for p in profiles}
    styles = [  # a journal's style, found by its words; its profile (if any) is the folder of the same name
        JournalChoice(i.name, i.title, i.issn or i.eissn, i.parent, journal_profile_path(i.name, case_path))
        for i in search_styles(words) if i.name not in listed
    ]
    return profiles + styles


def journal_profile_path(key: str, case_path: Path | None = None) -> Path | None:
    """The profile of the journal of that name, when there is one."""
    folder = journal_folder(key, case_path)
    return folder / "journal.yaml" if folder else None


def journal_files(key: str, case_path: Path | None = None) -> list[Path]:
    """The files a journal's style is read from: its profile and CSL files, or the CSL style(s) it names.

    These are inputs of a build: editing one rebuilds the letter.
    """
    from caseletter.styles import is_style_name, style_path

    folder = journal_folder(key, case_path)
    if folder is not None:
        files = [folder / "journal.yaml", *sorted(folder.glob("*.csl"))]
        try:
            named = _read_profile(folder / "journal.yaml").get("csl_style")
        except UnknownStyle:
            named = None
        return files + ([style_path(str(named))] if named and is_style_name(str(named)) else [])
    return [style_path(key)] if JOURNAL_KEY.fullmatch(str(key)) and is_style_name(key) else []


PROFILE_KEYS = (
    "name", "csl", "csl_style", "issn", "citation_range_delimiter", "article_types", "reference_fields", "lab_units",
    "submission",
)


def _read_journal(key: str, folder: Path) -> Journal:
    profile_path = folder / "journal.yaml"
    profile = _read_profile(profile_path)
    _check_profile_keys(profile, profile_path)
    csl = profile_csl(profile, folder, profile_path)
    article_types = validate_article_types(profile.get("article_types") or {}, profile_path)
    fields = validate_reference_fields(profile.get("reference_fields"), profile_path)
    delimiter = validate_range_delimiter(profile.get("citation_range_delimiter", "–"), profile_path)
    return Journal(
        key=key, folder=folder, name=str(profile.get("name", key)), csl=csl, article_types=article_types,
        reference_fields=fields, citation_range_delimiter=delimiter,
        lab_units=validate_lab_units(profile.get("lab_units", "si_first"), profile_path),
        submission=validate_submission(profile.get("submission") or {}, profile_path),
    )


def _check_profile_keys(profile: dict[str, Any], profile_path: Path) -> None:
    """Refuse a key the kit does not read: a misspelt one would silently do nothing."""
    import difflib

    for key in profile:
        if key not in PROFILE_KEYS:
            close = difflib.get_close_matches(str(key), PROFILE_KEYS, n=1)
            hint = f"Did you mean '{close[0]}'?" if close else f"Known keys: {', '.join(PROFILE_KEYS)}."
            raise UnknownStyle(f"{profile_path}, {cut(str(key), 40)}", "is not a key of a journal profile", hint)


def profile_csl(profile: dict[str, Any], folder: Path, profile_path: Path) -> Path:
    """The CSL file of a profile: ``csl`` (a file in its folder) or ``csl_style`` (a CSL style's name).

    Raises:
        UnknownStyle: both or an unusable one given, naming the key.
    """
    if "csl_style" in profile:
        if "csl" in profile:
            raise UnknownStyle(f"{profile_path}, csl_style", "is given beside csl", "Keep one of the two.")
        from caseletter.styles import style_path

        return style_path(str(profile["csl_style"]), f"{profile_path}, csl_style")
    csl = resolve_inside(folder, str(profile.get("csl", "style.csl")), f"{profile_path}, csl", UnknownStyle, "CSL file")
    require_csl_style(csl)
    return csl


def _read_profile(profile_path: Path) -> dict[str, Any]:
    """The profile's YAML as a mapping, or one message saying why it cannot be."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        profile = YAML(typ="safe", pure=True).load(profile_path.read_text(encoding="utf-8")) or {}
    except (YAMLError, UnicodeDecodeError) as exc:
        raise UnknownStyle(
            str(profile_path), f"the profile cannot be read ({exc.__class__.__name__})", "Fix its YAML."
        ) from None
    except OSError as exc:
        raise UnknownStyle(
            str(profile_path), f"the profile cannot be read ({exc.strerror})", "Check its permissions."
        ) from None
    if not isinstance(profile, dict):
        raise UnknownStyle(
            str(profile_path), "the profile is not a mapping of keys", "Start it with 'name:' and 'csl:'."
        )
    return profile


def require_csl_style(csl: Path) -> None:
    """Refuse a file that is not a CSL style, by its root element alone, quoting none of it.

    pandoc would otherwise quote the file back in its error; the XML parser resolves no
    external entity.
    """
    from xml.etree.ElementTree import ParseError, iterparse

    try:
        with open(csl, "rb") as handle:  # closed here, not whenever the parser is collected
            for _, element in iterparse(handle, events=("start",)):
                if element.tag == CSL_STYLE:
                    return
                break
    except (ParseError, OSError, ValueError):
        pass
    raise UnknownStyle(
        str(csl), "is not a CSL style (its root is not a <style> element of the CSL namespace)",
        "Use a .csl file from the Citation Style Language styles.",
    )


def validate_range_delimiter(raw: Any, profile_path: Path) -> str:
    """What joins a collapsed run of citation numbers: one to three dashes or punctuation marks."""
    text = str(raw)
    if not RANGE_DELIMITER.fullmatch(text):
        raise UnknownStyle(
            f"{profile_path}, citation_range_delimiter",
            f"{cut(repr(text), 40)} is not a dash or a short run of punctuation",
            "Write '-' (a hyphen) or '–' (an en dash).",
        )
    return text


def validate_lab_units(raw: Any, profile_path: Path) -> str:
    """The order a laboratory value's two units print in; a misspelt one is refused, not taken as the default."""
    import difflib

    if raw in LAB_UNITS:
        return str(raw)
    close = difflib.get_close_matches(str(raw), LAB_UNITS, n=1)
    hint = f"Did you mean '{close[0]}'?" if close else ""
    raise UnknownStyle(
        f"{profile_path}, lab_units", f"{cut(repr(raw), 40)} is not a way of printing laboratory values",
        f"{hint} Write one of {', '.join(LAB_UNITS)}.".strip(),
    )


def validate_article_types(raw: Any, profile_path: Path) -> dict[str, dict[str, Any]]:
    """Check every article type's keys and value types, so a typo cannot switch a limit off.

    Raises:
        UnknownStyle: naming the profile, the article type and the key at fault.
    """
    if not isinstance(raw, dict):
        raise UnknownStyle(
            f"{profile_path}, article_types",
            "is not a mapping of article types",
            "Write e.g. 'letter:' with its limits indented below it.",
        )
    checked = {}
    for name, values in raw.items():
        where = f"{profile_path}, article_types.{name}"
        if not isinstance(values, dict):
            raise UnknownStyle(where, "is not a mapping of limits", f"Give {', '.join(ARTICLE_TYPE_KEYS)} under it.")
        for key, value in values.items():
            _check_article_type_value(where, key, value)
        _check_provenance(where, values)
        checked[str(name)] = dict(values)
    return checked


def _check_article_type_value(where: str, key: str, value: Any) -> None:
    import difflib

    if key not in ARTICLE_TYPE_KEYS:
        close = difflib.get_close_matches(str(key), list(ARTICLE_TYPE_KEYS), n=1)
        hint = f"Did you mean '{close[0]}'?" if close else f"Known keys: {', '.join(ARTICLE_TYPE_KEYS)}."
        raise UnknownStyle(f"{where}.{key}", "is not a key of an article type", hint)
    wanted = ARTICLE_TYPE_KEYS[key]
    if wanted is int and value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise UnknownStyle(
            f"{where}.{key}", f"{value!r} is not a whole number of 0 or more", "Give a number, or null for no limit."
        )
    if wanted is bool and not isinstance(value, bool):
        raise UnknownStyle(f"{where}.{key}", f"{value!r} is not true or false", "Write true or false.")
    if wanted is list and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        raise UnknownStyle(f"{where}.{key}", "is not a list of CARE item names", "Write e.g. [abstract, key_words].")
    if wanted is dict:
        _check_sections(f"{where}.{key}", value)


def _check_sections(where: str, value: Any) -> None:
    """A mapping of the kit's section names to the journal's headings; a misspelt name is refused."""
    import difflib

    if not isinstance(value, dict) or not all(isinstance(v, str) and v.strip() for v in value.values()):
        raise UnknownStyle(where, "is not a mapping of sections to headings", "Write e.g. 'introduction: Background'.")
    for name in value:
        if name not in SECTION_NAMES:
            close = difflib.get_close_matches(str(name), SECTION_NAMES, n=1)
            hint = f"Did you mean '{close[0]}'?" if close else f"The sections are: {', '.join(SECTION_NAMES)}."
            raise UnknownStyle(f"{where}.{cut(str(name), 40)}", "is not a section the kit writes", hint)


def validate_submission(raw: Any, profile_path: Path) -> SubmissionRules:
    """The profile's ``submission`` block as rules; every key and value checked, as the limits are."""
    import dataclasses
    import difflib

    where = f"{profile_path}, submission"
    if not isinstance(raw, dict):
        raise UnknownStyle(where, "is not a mapping", "Write e.g. 'blinded: true' indented under it.")
    known = {f.name: f.type for f in dataclasses.fields(SubmissionRules)}
    for key in raw:
        if key not in known:
            close = difflib.get_close_matches(str(key), list(known), n=1)
            hint = f"Did you mean '{close[0]}'?" if close else f"Known keys: {', '.join(known)}."
            raise UnknownStyle(f"{where}.{cut(str(key), 40)}", "is not a key of a submission", hint)
    rules = dict(raw)
    _require(where, "blinded", isinstance(rules.get("blinded", False), bool), "Write true or false.")
    _require(where, "figure_format", rules.get("figure_format", "tif") in FIGURE_FORMATS, "Write tif or png.")
    dpi, width = rules.get("figure_dpi", 300), rules.get("figure_width_mm", 84)
    _require(where, "figure_dpi", isinstance(dpi, int) and 72 <= dpi <= 2400, "Give dots per inch, e.g. 300.")
    _require(where, "figure_width_mm", isinstance(width, int | float) and 20 <= width <= 400,
             "Give the printed width in millimetres, e.g. 84 for a column.")
    name = str(rules.get("figure_name", "Figure{number}"))
    _require(where, "figure_name", "{number}" in name and re.fullmatch(r"[A-Za-z0-9_{}-]+", name) is not None,
             "Write e.g. 'Figure{number}' (letters, digits, '-', '_' and {number}).")
    requires = rules.get("requires") or []
    _require(where, "requires", isinstance(requires, list) and all(r in REQUIREMENTS for r in requires),
             f"List some of: {', '.join(REQUIREMENTS)}.")
    rules["requires"] = tuple(requires)
    rules["figure_width_mm"] = float(width)
    return SubmissionRules(**rules)


def _require(where: str, key: str, ok: bool, todo: str) -> None:
    if not ok:
        raise UnknownStyle(f"{where}.{key}", "has a value the kit cannot use", todo)


def _check_provenance(where: str, values: dict[str, Any]) -> None:
    """A source is a URL, its date a day; an unconfirmed limit is a limit, and left empty."""
    if values.get("source") and not URL.fullmatch(str(values["source"])):
        raise UnknownStyle(f"{where}.source", "is not a web address", "Give the URL of the journal's instructions.")
    if values.get("read_on") and not ISO_DAY.fullmatch(str(values["read_on"])):
        raise UnknownStyle(f"{where}.read_on", "is not a day written like 2026-11-28", "Give the day they were read.")
    for limit in values.get("unconfirmed") or ():
        if limit not in LIMITS:
            raise UnknownStyle(f"{where}.unconfirmed", f"{limit!r} is not a limit", f"Name one of {', '.join(LIMITS)}.")
        if values.get(limit) is not None:
            raise UnknownStyle(f"{where}.{limit}", "is a number, yet listed as unconfirmed",
                               "Leave an unconfirmed limit empty (null), or take it off the unconfirmed list.")


def validate_reference_fields(raw: Any, profile_path: Path) -> dict[str, list[str]]:
    """The profile's required fields per entry type, or the AMA defaults when it gives none."""
    if raw is None:
        return dict(DEFAULT_REFERENCE_FIELDS)
    if not isinstance(raw, dict) or not all(
        isinstance(v, list) and all(isinstance(f, str) for f in v) for v in raw.values()
    ):
        raise UnknownStyle(
            f"{profile_path}, reference_fields",
            "is not a mapping of entry types to lists of field names",
            "Write e.g. 'article: [author, title, journal, year, volume, pages]'.",
        )
    return {str(k).lower(): [str(f).lower() for f in v] for k, v in raw.items()}

"""Names of patients, relatives and carers: the identifiers that have no pattern.

Names are found from their context, the way a reader spots them: a title (``Mrs Okafor``),
a relative or an apposition (``her daughter, Anna``; ``the patient, Harold Jennings,``),
``named``/``called``, a signature, initials after ``patient``; and, with no context, a
known first name followed by a capitalised surname (``Lucia Ferreira consented``). The
first names come from Faker's person providers (MIT, no dependencies, ~21,000 Latin-script
names over its locales), loaded once on first use. A name found once is then looked for
everywhere else in the text, so a surname repeated alone is caught too.

Eponyms and citations are protected by shape: ``Raynaud phenomenon`` has a lower-case
head after it, ``Smith GP`` has initials, ``Gutierrez A Jr`` a single capital.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import pkgutil
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from caseletter.deid.rules import STATE_RE

Hit = tuple[int, int, str]

_UP = r"[A-ZÀ-ÖØ-ÞĀ-Ž]"
_LOW = r"[a-zß-öø-ÿā-ž'’]"
_WORD = rf"(?:{_UP}{_LOW}+(?:-{_UP}{_LOW}+)?|(?:Mc|Mac|O'|O’|De|Van|Von){_UP}{_LOW}+)"
_NAME = rf"(?P<name>{_WORD}(?:\s+{_WORD}){{0,2}})"

_TITLES = r"Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sister|Nurse|Pastor|Father|Rev"
_RELATIVES = (
    r"daughter|son|wife|husband|partner|spouse|sister|brother|mother|father|granddaughter|grandson|"
    r"grandmother|grandfather|niece|nephew|aunt|uncle|cousin|friend|neighbou?r|caregiver|carer|"
    r"fianc[ée]e?|stepdaughter|stepson|twin|guardian|roommate|landlady|landlord"
)
_RELATIVE = rf"(?:{_RELATIVES})(?:-in-law)?"
# Initials with full stops; these pairs are degrees, eras and countries.
_NOT_INITIALS = r"(?!(?:U\.S\.|U\.K\.|M\.D\.|D\.O\.|R\.N\.|N\.P\.|P\.A\.|A\.M\.|P\.M\.|B\.C\.|A\.D\.|E\.U\.)(?!\w))"
_CONTEXT_RES = [
    re.compile(rf"\b(?:{_TITLES})\.?\s+{_NAME}"),
    re.compile(rf"\b{_RELATIVE},?\s+(?:named\s+)?{_NAME}"),
    re.compile(rf"\b(?:named|called|known as|name is|nicknamed)\s+{_NAME}"),
    re.compile(rf"\b(?:patient|woman|man|girl|boy|resident|gentleman|lady|mother|father),\s+{_NAME},"),
    re.compile(rf"(?:^|\n)\s*(?:Signed|Sincerely|Regards|Best wishes|Yours sincerely|Thank you|—|--)[,:]?\s+{_NAME}"),
    re.compile(rf"\b(?:{_TITLES}|[Pp]atient)\.?,?\s+(?P<name>(?:[A-Z]\.\s?){{2,3}})"),
]
_INITIALS_RE = re.compile(rf"(?<![\w.]){_NOT_INITIALS}(?P<name>[A-Z]\.\s?[A-Z]\.(?:\s?[A-Z]\.)?)(?!\w)")
_CITED_BEFORE = re.compile(rf"{_UP}{_LOW}+,?\s+$")
# A capitalised word after a cue is not a name when it is one of these.
_NOT_NAME = re.compile(
    r"^(?:The|A|An|And|Or|But|She|He|They|We|It|Her|His|Their|Our|This|That|Who|Whose|When|After|"
    r"Before|During|In|On|At|For|With|From|Because|Although|January|February|March|April|May|June|"
    r"July|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|"
    r"Saturday|Sunday|Figure|Table|Patient|Hospital|Clinic|Center|Centre|Medicine|Department|"
    r"University|Disease|Syndrome|Medicare|Medicaid|Christmas|Easter)$"
)
# A capitalised pair followed by one of these is an eponym or a place, not a person.
_EPONYM_HEAD = re.compile(
    r"\s+(?:disease|syndrome|sign|phenomenon|palsy|lymphoma|sarcoma|criteria|test|score|scale|"
    r"classification|index|procedure|operation|maneuver|manoeuvre|reflex|nodes?|cells?|bodies|"
    r"tumou?r|ulcer|fracture|type|lines|disorder|nodules?|papules?|spots?|stain|staining|"
    r"technique|flap|incision|method|equation|formula|Hospital|Clinic|Center|Centre|County|"
    r"Street|Road|Avenue|University|Medical|Care|Nursing|Health|Lodge|Manor|Home)\b"
)
_NON_NAME_WORDS = frozenset(
    "Will May Grace Hope Joy Faith Iris Rose Ruby Jade Amber Ivy Dawn Summer Autumn Winter Spring "
    "Sky Hunter Mark Bill Pat Sterling Royal Major King Page Case Chase Cash Star Sunny Honey "
    "Patience Mercy Charity Unity Liberty Justice Dale Glen Heath Forest River Brook Lane Bay "
    "Miles Art Guy Rich Young Long Short Price Chance Clay Stone Rock Ray Sandy Rusty Sol Sage "
    "August June April Christian Angel Precious Blessing Marvel Gift Wisdom Destiny Harmony".split()
)


@lru_cache(maxsize=1)
def load_first_names() -> frozenset[str]:
    """First names from every Faker person locale written in Latin script.

    Faker ships the lists as module constants, so this needs no network and no data files.
    Importing its seventy-odd locale modules takes most of a second, so the merged list is kept
    in the user's cache folder, keyed by Faker's version and this module's own text.
    """
    cached = _names_cache_file()
    try:
        return frozenset(cached.read_text(encoding="utf-8").split())
    except OSError:
        names = collect_first_names()
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        temporary = cached.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text("\n".join(sorted(names)), encoding="utf-8")
        os.replace(temporary, cached)
    except OSError:  # a read-only home only costs speed
        pass
    return names


def _names_cache_file() -> Path:
    from importlib.metadata import version

    key = hashlib.sha256(f"{version('faker')}\n{Path(__file__).read_text(encoding='utf-8')}".encode()).hexdigest()[:16]
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "caseletter" / f"first-names-{key}.txt"


def collect_first_names() -> frozenset[str]:
    """The merged first-name list, read from Faker's locale modules."""
    import faker.providers.person as person

    names: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"{person.__name__}.{module.name}").Provider
        for attribute in ("first_names", "first_names_male", "first_names_female"):
            value = getattr(provider, attribute, ())
            if isinstance(value, (list, tuple, dict, set, frozenset)):
                names.update(n for n in value if _is_latin_name(n))
    return frozenset(names - _NON_NAME_WORDS)


def _is_latin_name(name: str) -> bool:
    return bool(name) and name[0].isupper() and name.isalpha() and all(ord(c) < 0x250 for c in name)


def find_names(text: str) -> Iterator[Hit]:
    """Person names from context, from the first-name list, and their repeats in the text."""
    hits = [*_find_cued_names(text), *_find_initials(text), *_find_listed_names(text)]
    yield from hits
    yield from _find_repeats(text, hits)


def _find_cued_names(text: str) -> Iterator[Hit]:
    for regex in _CONTEXT_RES:
        for m in regex.finditer(text):
            start, end = _trim_name(text, m.start("name"), m.end("name"))
            if end > start and not _EPONYM_HEAD.match(text, end):
                yield start, end, "name"


def _find_initials(text: str) -> Iterator[Hit]:
    """Initials with full stops, unless a surname stands before them as in a citation."""
    for m in _INITIALS_RE.finditer(text):
        if not _CITED_BEFORE.search(text[max(0, m.start() - 30) : m.start()]):
            yield m.start("name"), m.end("name"), "name"


def _trim_name(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop words that cannot belong to a name from the end of a cued span."""
    words = list(re.finditer(r"\S+", text[start:end]))
    kept = [w for w in words]
    while kept and _NOT_NAME.match(kept[-1].group().rstrip(".,")):
        kept.pop()
    if not kept or _NOT_NAME.match(kept[0].group().rstrip(".,")):
        return start, start
    return start, start + kept[-1].end()


_PAIR_RE = re.compile(rf"\b(?P<first>{_UP}{_LOW}+)\s+(?P<last>{_WORD})(?:\s+{_WORD})?")


def _find_listed_names(text: str) -> Iterator[Hit]:
    """A known first name and a capitalised surname, unless an eponym head follows."""
    first_names = load_first_names()
    for m in _PAIR_RE.finditer(text):
        if m.group("first") not in first_names or _NOT_NAME.match(m.group("last")):
            continue
        if _EPONYM_HEAD.match(text, m.end("last")) or _EPONYM_HEAD.match(text, m.end()):
            continue
        if m.group("last") in _NON_NAME_WORDS or re.fullmatch(_TITLES, m.group("first")):
            continue
        if STATE_RE.match(f"{m.group('first')} {m.group('last')}"):
            continue
        yield m.start(), _trim_name(text, m.start(), m.end())[1], "name"


def _find_repeats(text: str, hits: list[Hit]) -> Iterator[Hit]:
    """Every other place where a word of a found name stands alone."""
    words = {w for s, e, _ in hits for w in re.findall(rf"{_UP}{_LOW}{{2,}}", text[s:e])}
    words -= _NON_NAME_WORDS
    for word in words:
        for m in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text):
            if not _EPONYM_HEAD.match(text, m.end()):
                yield m.start(), m.end(), "name"

"""Text the author has not written yet: a TODO, a template's prompt, a marker left to fill.

A case made with ``caseletter new`` holds a prompt in every field ("TODO: the diagnosis and the
treatment this letter is about"). A draft that still holds one is not a letter: the check names
each such field, the CARE judge never counts it as present, and the letter is marked "Draft".
The prompts are read from the case template itself, so a prompt whose "TODO:" was deleted but
whose words were left is found too.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from caseletter.paths import templates_dir

#: Words that say "not written yet", in any case and position.
MARKERS = re.compile(r"\b(?:TODO|TO DO|TBD|TBC|FIXME|XXX+|lorem ipsum)\b|\?\?\?+|<[^<>\n]{0,40}here>", re.IGNORECASE)
#: Fields that are settings, not text an author writes.
_SETTINGS = re.compile(r"^(?:journal|article_type|bibliography\[\d+\]|figures\[\d+\]\.id|.*\.cite\[\d+\])$")
_PROMPT_IN_TEMPLATE = re.compile(r"TODO:\s*(?P<prompt>[^\"\n]+?)\s*\"?$", re.MULTILINE)


@dataclass(frozen=True)
class Placeholder:
    """A field that still holds placeholder text, and that text."""

    field: str
    text: str
    start: int
    end: int


def find_placeholders(case: BaseModel) -> list[Placeholder]:
    """Every field of the case still holding a marker or one of the template's prompts, in file order."""
    found = []
    for field, text in all_strings(case):
        hit = first_placeholder(text)
        if hit is not None:
            found.append(Placeholder(field, text[hit[0]:hit[1]], *hit))
    return found


def first_placeholder(text: str) -> tuple[int, int] | None:
    """The span of the first marker or template prompt in `text`, or None."""
    marker = MARKERS.search(text)
    if marker:
        return marker.start(), marker.end()
    folded = text.casefold()
    for prompt in template_prompts():
        at = folded.find(prompt)
        if at >= 0:
            return at, at + len(prompt)
    return None


def is_placeholder(text: str) -> bool:
    """True when `text` still holds a marker or a template prompt."""
    return first_placeholder(text) is not None


@functools.cache
def template_prompts() -> tuple[str, ...]:
    """The prompts of the case template, lower-cased ("the diagnosis and the treatment this letter is about").

    Short prompts ("your name") are left out: they could be someone's real words.
    """
    try:
        text = (templates_dir() / "case" / "new-case.yaml").read_text(encoding="utf-8")
    except OSError:
        return ()
    prompts = {match["prompt"].strip(" .").casefold() for match in _PROMPT_IN_TEMPLATE.finditer(text)}
    return tuple(sorted((p for p in prompts if len(p.split()) >= 3), key=len, reverse=True))


def all_strings(node: Any, path: str = "") -> list[tuple[str, str]]:
    """Every string the author wrote, byline included, with its field path; settings left out."""
    if isinstance(node, BaseModel):
        fields = type(node).model_fields
        return [pair for name in fields for pair in all_strings(getattr(node, name), _join(path, name))]
    if isinstance(node, list):
        return [pair for i, item in enumerate(node) for pair in all_strings(item, f"{path}[{i}]")]
    if isinstance(node, str) and node and not _SETTINGS.match(path):
        return [(path, node)]
    return []


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def without_placeholders(model: BaseModel) -> BaseModel:
    """A copy of the case with every placeholder text emptied (and placeholder list items dropped).

    What judges a case by its content (the CARE checklist) reads this copy, so that a template's
    prompt never counts as the thing it asks for.
    """
    changes = {}
    for name in type(model).model_fields:
        value = getattr(model, name)
        blanked = _blank(value)
        if blanked is not value:
            changes[name] = blanked
    return model.model_copy(update=changes) if changes else model


def _blank(value: Any) -> Any:
    if isinstance(value, str):
        return "" if value and is_placeholder(value) else value
    if isinstance(value, BaseModel):
        return without_placeholders(value)
    if isinstance(value, list):
        kept = [_blank(item) for item in value if not (isinstance(item, str) and is_placeholder(item))]
        return kept if len(kept) != len(value) or any(a is not b for a, b in zip(kept, value)) else value
    return value

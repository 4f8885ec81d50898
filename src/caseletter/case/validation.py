"""Checking parsed YAML against the case model, with messages that point at a field and its line.

ruamel.yaml's round-trip loader keeps the line of every key and list item, so a schema violation
or a control character can be reported at the line where it sits, not only at its path. The
same line lookup serves every later finding (``CaseSource.line_of``).
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any, get_args

from caseletter.errors import SchemaViolation, cut

TIMELINE_FIGURE_ID = "fig-timeline"
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # tab, newline and return are text
_FIELD_PATH = re.compile(r"[A-Za-z_]\w*(?:\.\w+|\[\d+\])*")


def validate_case(data: dict[str, Any], path: Path) -> Any:
    """The validated `Case`, refusing control characters first.

    Raises:
        SchemaViolation: the field's path, its line and what is expected.
    """
    from pydantic import ValidationError

    from caseletter.case.model import Case

    refuse_control_characters(data, path)
    try:
        case = Case.model_validate(data)
    except ValidationError as exc:
        raise describe_validation_error(exc, data, path) from None
    refuse_figure_ids(case, data, path)
    return case


def refuse_figure_ids(case: Any, data: Any, path: Path) -> None:
    """Each figure id names one figure, and none is the id the kit gives its own timeline figure.

    Text points at a figure by its id, so a second figure of the same id, or one named like the
    kit's timeline, would be silently dropped from the letter.
    """
    seen: dict[str, int] = {}
    for index, figure in enumerate(case.figures):
        where = located(path, data, ("figures", index, "id"))
        if figure.id == TIMELINE_FIGURE_ID:
            raise SchemaViolation(
                where, f'"{TIMELINE_FIGURE_ID}" is the id of the timeline the kit draws', "Give the figure another id."
            )
        if figure.id in seen:
            raise SchemaViolation(
                where, f'"{figure.id}" is also the id of figures[{seen[figure.id]}]', "Give each figure its own id."
            )
        seen[figure.id] = index


def refuse_control_characters(data: dict[str, Any], path: Path) -> None:
    r"""Refuse control characters that a YAML escape ("\0", "\x1b") put in a key or value.

    They are invisible in the letter at best; a NUL stops pandoc and Word, and an escape
    sequence would reach the terminal inside an error message.
    """
    stack: list[tuple[tuple[Any, ...], Any]] = [((), data)]
    while stack:
        loc, node = stack.pop()
        if isinstance(node, str) and CONTROL_CHARACTER.search(node):
            raise _control_character_error(data, path, loc, CONTROL_CHARACTER.search(node).group(), "the text")
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(key, str) and CONTROL_CHARACTER.search(key):
                    found = CONTROL_CHARACTER.search(key).group()
                    raise _control_character_error(data, path, loc, found, f"the key {shown_value(key)}")
                stack.append(((*loc, key), value))
        elif isinstance(node, list):
            stack.extend(((*loc, i), value) for i, value in enumerate(node))


def _control_character_error(data: Any, path: Path, loc: tuple[Any, ...], character: str, what: str) -> SchemaViolation:
    return SchemaViolation(
        located(path, data, loc),
        f"{what} holds the control character U+{ord(character):04X}",
        "Remove it: a case file holds printable text (tabs and line breaks are fine).",
    )


def describe_validation_error(exc: Any, data: Any, path: Path) -> SchemaViolation:
    """Turn pydantic's first error into one message with the field path, line and expectation."""
    # A misspelt key shows up twice: as an unknown field and as a missing one. Name the typo.
    errors = sorted(exc.errors(include_url=False), key=lambda e: e["type"] != "extra_forbidden")
    first = errors[0]
    why, todo = _explain(first, first["loc"])
    more = len(errors) - 1
    if more:
        todo += f" {more} more problem{'s' if more > 1 else ''} after this one."
    return SchemaViolation(located(path, data, first["loc"]), why, todo)


def located(path: Path, data: Any, loc: tuple[Any, ...]) -> str:
    """``file, field (line N)``: where a message about one field points."""
    line = line_of(data, loc)
    return f"{path}, {format_field_path(loc)}" + (f" (line {line})" if line else "")


def format_field_path(loc: tuple[Any, ...]) -> str:
    """``('patient', 'history', 0)`` → ``patient.history[0]``; an odd or long key is quoted short."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + _shown_key(part)
    return out or "(top level)"


def parse_field_path(field: str) -> tuple[Any, ...] | None:
    """``patient.history[0]`` → ``('patient', 'history', 0)``; None for what is not a field path."""
    if not _FIELD_PATH.fullmatch(field):
        return None
    return tuple(int(part[1:-1]) if part.startswith("[") else part for part in re.findall(r"\w+|\[\d+\]", field))


def line_of(data: Any, loc: tuple[Any, ...]) -> int | None:
    """The 1-based line of the deepest part of `loc` that exists in the parsed YAML."""
    node, line = data, None
    for part in loc:
        lc = getattr(node, "lc", None)
        try:
            if lc is not None and isinstance(node, dict) and part in node:
                line = lc.key(part)[0] + 1
            elif lc is not None and isinstance(node, list) and isinstance(part, int) and part < len(node):
                line = lc.item(part)[0] + 1
            node = node[part]
        except (KeyError, IndexError, TypeError, AttributeError):
            break
    return line


def shown_value(value: Any) -> str:
    """A wrong value as a message quotes it: its kind for a list or mapping, else its repr cut to 60."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return cut(repr(value), 60)


def _shown_key(key: Any) -> str:
    text = str(key)
    return text if text.isprintable() and len(text) <= 40 else shown_value(text)


def _explain(error: dict[str, Any], loc: tuple[Any, ...]) -> tuple[str, str]:
    kind = error["type"]
    if kind == "extra_forbidden":
        return _explain_unknown_field(loc)
    if kind == "missing":
        return (
            "this field is required but missing",
            f"Add '{loc[-1]}:' with a value; `caseletter schema` lists every field.",
        )
    shown = shown_value(error.get("input"))
    why = error["msg"].lower()
    if kind == "value_error" and error.get("ctx", {}).get("error"):  # the kit's own validators say it whole
        why = str(error["ctx"]["error"])
    return (
        f"{shown} is not accepted: {why}",
        "Correct the value; `caseletter schema` describes each field.",
    )


def _explain_unknown_field(loc: tuple[Any, ...]) -> tuple[str, str]:
    from caseletter.case.model import Case

    model: Any = Case
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            break
        model = _inner_model(field.annotation) or model
    known = list(getattr(model, "model_fields", {}))
    close = difflib.get_close_matches(str(loc[-1]), known, n=3)
    hint = f"Did you mean {', '.join(repr(c) for c in close)}?" if close else f"Known fields here: {', '.join(known)}."
    return f"{shown_value(str(loc[-1]))} is not a field of the case file", hint


def _inner_model(annotation: Any) -> Any:
    """The pydantic model inside an annotation such as ``list[Regimen]`` or ``Diagnosis``."""
    if hasattr(annotation, "model_fields"):
        return annotation
    for arg in get_args(annotation):
        inner = _inner_model(arg)
        if inner is not None:
            return inner
    return None

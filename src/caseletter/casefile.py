"""Reading a case file: YAML text to a validated `Case`, with errors a trainee can act on.

ruamel.yaml's safe loader keeps line and column for every mapping, so a schema violation can
point at the line where the bad value sits, not only at its path. Before anything is built, one
pass over the parser's events refuses explicit tags other than YAML's plain ones (so nothing can
ask for a Python object) and counts how many values the aliases would expand to, so a "billion
laughs" file is refused before it expands.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

from caseletter.errors import BadYAML, CaseFileError, SchemaViolation, cut

MAX_CASE_BYTES = 2_000_000
MAX_EXPANDED_VALUES = 50_000
MAX_DEPTH = 40  # a case file nests 4 deep
MAX_BRACKETS_PER_LINE = 200  # the parser's time grows with the square of the brackets open on one line
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # tab, newline and return are text
PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("int", "float", "bool", "null", "seq", "map"))


def load_case(path: Path | str) -> Case:
    """Read and validate one case file.

    Args:
        path: the YAML case file.

    Returns:
        The validated case.

    Raises:
        CaseFileError: the file is missing or unreadable; BadYAML with line and column;
            SchemaViolation with the field's path, its line and what is expected.
    """
    from pydantic import ValidationError

    from caseletter.case import Case

    path = Path(path)
    data = parse_case_yaml(read_case_text(path), path)
    refuse_control_characters(data, path)
    try:
        return Case.model_validate(data)
    except ValidationError as exc:
        raise describe_validation_error(exc, data, path) from None


def read_case_text(path: Path) -> str:
    """The case file's text, refusing what is not a readable, reasonably sized text file."""
    if not path.is_file():
        raise CaseFileError(str(path), "no such case file", "Check the path, or create one with `caseletter new NAME`.")
    if path.stat().st_size > MAX_CASE_BYTES:
        raise CaseFileError(str(path), f"the file is larger than {MAX_CASE_BYTES // 1_000_000} MB", "A case file is a page or two of YAML; check that this is the right file.")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CaseFileError(str(path), f"byte {exc.start} is not UTF-8", "Save the file as UTF-8 text.") from None
    if "\x00" in text:
        raise CaseFileError(str(path), f"line {text[: text.index(chr(0))].count(chr(10)) + 1} holds a NUL character", "Save the file as plain UTF-8 text.")
    return text


def parse_case_yaml(text: str, path: Path) -> dict[str, Any]:
    """Parse YAML safely into plain Python data with line numbers kept on mappings."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.reader import ReaderError

    refuse_bracket_runs(text, path)
    yaml = YAML(typ="rt", pure=True)
    yaml.allow_duplicate_keys = False
    try:
        check_yaml_events(yaml.parse(text), path)
        data = yaml.load(text)
    except ReaderError as exc:
        code = ord(exc.character) if isinstance(exc.character, str) else exc.character
        raise BadYAML(f"{path}, line {text[: exc.position].count(chr(10)) + 1}", f"the control character U+{code:04X} is not allowed in YAML", "Delete it; most editors do not show it.") from None
    except MarkedYAMLError as exc:
        raise BadYAML(_where_marked(path, exc), _yaml_problem(exc), "Fix the YAML there: check indentation, a missing colon, or quotes around text that contains ': ' or '#'.") from None
    except YAMLError as exc:
        raise BadYAML(str(path), f"not valid YAML ({exc.__class__.__name__})", "Check the file's syntax.") from None
    if not isinstance(data, dict):
        raise SchemaViolation(str(path), "the file does not hold a mapping of fields", "A case file starts with 'title:', 'authors:' and the other fields; see `caseletter new`.")
    return data


def refuse_control_characters(data: dict[str, Any], path: Path) -> None:
    """Refuse control characters that a YAML escape ("\\0", "\\x1b") put in a key or value.

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
                    raise _control_character_error(data, path, loc, CONTROL_CHARACTER.search(key).group(), f"the key {shown_value(key)}")
                stack.append(((*loc, key), value))
        elif isinstance(node, list):
            stack.extend(((*loc, i), value) for i, value in enumerate(node))


def _control_character_error(data: Any, path: Path, loc: tuple[Any, ...], character: str, what: str) -> SchemaViolation:
    line = _line_of(data, loc)
    where = f"{path}, {format_field_path(loc)}" + (f" (line {line})" if line else "")
    return SchemaViolation(where, f"{what} holds the control character U+{ord(character):04X}", "Remove it: a case file holds printable text (tabs and line breaks are fine).")


def refuse_bracket_runs(text: str, path: Path) -> None:
    """Refuse a line crowded with opening brackets before the parser spends seconds on it."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.count("[") + line.count("{") > MAX_BRACKETS_PER_LINE:
            raise BadYAML(f"{path}, line {number}", f"the line opens more than {MAX_BRACKETS_PER_LINE} brackets", "A case file nests a few levels at most; check the brackets there.")


def check_yaml_events(events: Any, path: Path) -> None:
    """Refuse object-building tags and alias bombs from the parser's events, before any value is built."""
    counter = ExpansionCounter()
    for event in events:
        _refuse_tag(event, path)
        if counter.add(event) > MAX_EXPANDED_VALUES:
            raise BadYAML(_where_event(path, event), f"the file holds more than {MAX_EXPANDED_VALUES:,} values once its YAML aliases are expanded", "A case file needs no aliases (*name); write the values out.")
        if len(counter.open) > MAX_DEPTH:
            raise BadYAML(_where_event(path, event), f"the values nest more than {MAX_DEPTH} levels deep", "A case file nests a few levels at most; check the brackets and indentation there.")


class ExpansionCounter:
    """Counts the values a YAML document would hold with every alias written out, without expanding.

    Each anchor remembers how many values it holds and an alias adds that many, so the count
    stays linear in the file however deeply aliases nest.
    """

    def __init__(self) -> None:
        self.total = 0
        self.sizes: dict[str, int] = {}
        self.open: list[tuple[str | None, int]] = []

    def add(self, event: Any) -> int:
        """Account for one parser event; return the running total."""
        from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, ScalarEvent

        if isinstance(event, AliasEvent):
            self.total += self.sizes.get(event.anchor, 1)
        elif isinstance(event, ScalarEvent):
            self.total += 1
            if event.anchor:
                self.sizes[event.anchor] = 1
        elif isinstance(event, CollectionStartEvent):
            self.open.append((event.anchor, self.total))
            self.total += 1
        elif isinstance(event, CollectionEndEvent) and self.open:
            anchor, before = self.open.pop()
            if anchor:
                self.sizes[anchor] = self.total - before
        return self.total


def _refuse_tag(event: Any, path: Path) -> None:
    """An explicit tag is allowed only when it names one of YAML's plain types (``!!int``).

    ``!!str`` is refused too: the round-trip loader keeps it as a tagged object rather than a
    string, and quotes say the same thing plainly.
    """
    tag = getattr(event, "tag", None)
    if tag is not None and tag not in PLAIN_TAGS:
        raise BadYAML(_where_event(path, event), f"the tag {tag} is not allowed", "Remove the tag: a case file holds plain text, numbers and lists. To keep a number as text, put it in quotes.")


def _where_event(path: Path, event: Any) -> str:
    mark = getattr(event, "start_mark", None)
    return f"{path}, line {mark.line + 1}" if mark is not None else str(path)


def _where_marked(path: Path, exc: Any) -> str:
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return str(path)
    return f"{path}, line {mark.line + 1}, column {mark.column + 1}"


def _yaml_problem(exc: Any) -> str:
    problem = (exc.problem or exc.context or "not valid YAML").strip()
    if "found duplicate key" in problem or "duplicate key" in str(exc):
        return "a key is given twice in the same mapping"
    return problem


def describe_validation_error(exc: Any, data: Any, path: Path) -> SchemaViolation:
    """Turn pydantic's first error into one message with the field path, line and expectation."""
    # A misspelt key shows up twice: as an unknown field and as a missing one. Name the typo.
    errors = sorted(exc.errors(include_url=False), key=lambda e: e["type"] != "extra_forbidden")
    first = errors[0]
    loc = first["loc"]
    field = format_field_path(loc)
    line = _line_of(data, loc)
    where = f"{path}, {field}" + (f" (line {line})" if line else "")
    why, todo = _explain(first, data, loc)
    more = len(errors) - 1
    if more:
        todo += f" {more} more problem{'s' if more > 1 else ''} after this one."
    return SchemaViolation(where, why, todo)


def format_field_path(loc: tuple[Any, ...]) -> str:
    """``('patient', 'history', 0)`` → ``patient.history[0]``; an odd or long key is quoted short."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + _shown_key(part)
    return out or "(top level)"


def _shown_key(key: Any) -> str:
    text = str(key)
    return text if text.isprintable() and len(text) <= 40 else shown_value(text)


def _line_of(data: Any, loc: tuple[Any, ...]) -> int | None:
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


def _explain(error: dict[str, Any], data: Any, loc: tuple[Any, ...]) -> tuple[str, str]:
    kind = error["type"]
    if kind == "extra_forbidden":
        return _explain_unknown_field(loc)
    if kind == "missing":
        return "this field is required but missing", f"Add '{loc[-1]}:' with a value; `caseletter schema` lists every field."
    value = error.get("input")
    shown = shown_value(value)
    return f"{shown} is not accepted: {error['msg'].lower()}", "Correct the value; `caseletter schema` describes each field."


def shown_value(value: Any) -> str:
    """A wrong value as a message quotes it: its kind for a list or mapping, else its repr cut to 60."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return cut(repr(value), 60)


def _explain_unknown_field(loc: tuple[Any, ...]) -> tuple[str, str]:
    from caseletter.case import Case

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
    from typing import get_args

    if hasattr(annotation, "model_fields"):
        return annotation
    for arg in get_args(annotation):
        inner = _inner_model(arg)
        if inner is not None:
            return inner
    return None


def case_dir(path: Path | str) -> Path:
    """The folder a case's relative paths (figures, extra .bib files) are resolved against."""
    return Path(path).resolve().parent


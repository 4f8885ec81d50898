"""Reading a case file's bytes and parsing its YAML, refusing what could hurt before it is built.

The text must be a modest UTF-8 file. Before any value is built, one pass over the parser's
events refuses explicit tags other than YAML's plain ones (so nothing can ask for a Python
object) and counts how many values the aliases would expand to, so a "billion laughs" file is
refused before it expands. ruamel.yaml's round-trip loader keeps line and column for every
mapping, which the validation stage uses to point at a field's line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from caseletter.errors import BadYAML, CaseFileError, SchemaViolation

MAX_CASE_BYTES = 2_000_000
MAX_EXPANDED_VALUES = 50_000
MAX_DEPTH = 40  # a case file nests 4 deep
MAX_BRACKETS_PER_LINE = 200  # the parser's time grows with the square of the brackets open on one line
PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("int", "float", "bool", "null", "seq", "map"))


def read_case_bytes(path: Path) -> bytes:
    """The case file's bytes, refusing what is not a readable, reasonably sized file."""
    if not path.is_file():
        raise CaseFileError(str(path), "no such case file", "Check the path, or create one with `caseletter new NAME`.")
    if path.stat().st_size > MAX_CASE_BYTES:
        raise CaseFileError(
            str(path),
            f"the file is larger than {MAX_CASE_BYTES // 1_000_000} MB",
            "A case file is a page or two of YAML; check that this is the right file.",
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CaseFileError(str(path), f"the file cannot be read ({exc.strerror})", "Check its permissions.") from None


def decode_case_text(raw: bytes, path: Path) -> str:
    """The case file's text: UTF-8 (a byte-order mark is allowed), with no NUL character."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CaseFileError(str(path), f"byte {exc.start} is not UTF-8", "Save the file as UTF-8 text.") from None
    if "\x00" in text:
        raise CaseFileError(
            str(path),
            f"line {text[: text.index(chr(0))].count(chr(10)) + 1} holds a NUL character",
            "Save the file as plain UTF-8 text.",
        )
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
        raise BadYAML(
            f"{path}, line {text[: exc.position].count(chr(10)) + 1}",
            f"the control character U+{code:04X} is not allowed in YAML",
            "Delete it; most editors do not show it.",
        ) from None
    except MarkedYAMLError as exc:
        raise BadYAML(
            _where_marked(path, exc),
            _yaml_problem(exc),
            "Fix the YAML there: check indentation, a missing colon, or quotes around text that contains ': ' or '#'.",
        ) from None
    except YAMLError as exc:
        raise BadYAML(str(path), f"not valid YAML ({exc.__class__.__name__})", "Check the file's syntax.") from None
    if not isinstance(data, dict):
        raise SchemaViolation(
            str(path),
            "the file does not hold a mapping of fields",
            "A case file starts with 'title:', 'authors:' and the other fields; see `caseletter new`.",
        )
    return data


def refuse_bracket_runs(text: str, path: Path) -> None:
    """Refuse a line crowded with opening brackets before the parser spends seconds on it."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.count("[") + line.count("{") > MAX_BRACKETS_PER_LINE:
            raise BadYAML(
                f"{path}, line {number}",
                f"the line opens more than {MAX_BRACKETS_PER_LINE} brackets",
                "A case file nests a few levels at most; check the brackets there.",
            )


def check_yaml_events(events: Any, path: Path) -> None:
    """Refuse object-building tags and alias bombs from the parser's events, before any value is built."""
    counter = ExpansionCounter()
    for event in events:
        _refuse_tag(event, path)
        if counter.add(event) > MAX_EXPANDED_VALUES:
            raise BadYAML(
                _where_event(path, event),
                f"the file holds more than {MAX_EXPANDED_VALUES:,} values once its YAML aliases are expanded",
                "A case file needs no aliases (*name); write the values out.",
            )
        if len(counter.open) > MAX_DEPTH:
            raise BadYAML(
                _where_event(path, event),
                f"the values nest more than {MAX_DEPTH} levels deep",
                "A case file nests a few levels at most; check the brackets and indentation there.",
            )


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
        raise BadYAML(
            _where_event(path, event),
            f"the tag {tag} is not allowed",
            "Remove the tag: a case file holds plain text, numbers and lists. "
            "To keep a number as text, put it in quotes.",
        )


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



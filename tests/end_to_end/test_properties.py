"""Property-based robustness: random and mutated case files and .bib files.

Every input must end either in a result (a case, a letter's parts, numbered references) or in
one `CaseletterError` whose message names the file; through the CLI, in exit status 0 or in
exit status 2 with one paragraph on stderr. Any other exception is a bug in the module that
raised it. The stages before the kernel run in-process for many examples; `test_robust_build`
runs a few whole builds. `pytest --hypothesis-profile=long` tries many more examples, and
`--hypothesis-show-statistics` prints how many each property tried.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from caseletter.case.source import load_case
from caseletter.cli import main
from caseletter.errors import CaseletterError, DosingError
from caseletter.letter.notebook import open_letter
from caseletter.references.bibliography import load_bibliography
from helpers import EXAMPLE_CASE, ROOT, copy_example

# A failing example with a 200,000-character string makes a large report; only failures print one.
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning")

SEED_TEXT = EXAMPLE_CASE.read_text(encoding="utf-8")
BIB_TEXT = (ROOT / "references.bib").read_text(encoding="utf-8")
REAL_BIB_TEXT = (ROOT / "tests" / "fixtures" / "bib" / "ama_real_references.bib").read_text(encoding="utf-8")
# capsys is read (and so emptied) once per example, which makes it safe to share across examples.
PROPERTY = settings(
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture]
)

# Characters that break naive text handling: bidirectional controls, zero-width and combining
# marks, BOM, NUL and other controls, line separators, astral-plane letters, YAML, Markdown,
# BibTeX and LaTeX syntax.
ODD = [
    "\u202e", "\u202d", "\u200f", "\u200e", "\u2066", "\u2069", "\u200b", "\u200d", "\ufeff", "\u0301", "\u0338",
    "\x00", "\x07", "\x1b[31m", "\x7f", "\x85", "\u2028", "\u2029", "\r", "\r\n", "\t", "\v", "\f",
    "𝕏", "🧪", "👩🏽‍⚕️", "\U0010fffd", "ﷺ", "ǅ", "İ", "ß", "Ⅻ", "١٢٣", "שלום", "مرحبا",
    ":", ": ", "#", " #", "- ", "? ", "&a ", "*a", "!!", "!x ", "|", ">", "%", "@", "`", "'", '"', "\\", "{", "}",
    "[", "]", ",",
    "[@", "@fig-", "<", ">", "&", "$", "$$", "^", "~", "_", "*", "---", "...", "=", "\\'", '{\\"o}', "\\url{",
    "@string{", "\\begin{",
]
odd_text = st.lists(st.one_of(st.sampled_from(ODD), st.text(max_size=8)), max_size=12).map("".join)
huge_text = st.tuples(
    st.sampled_from(["x", "é", "\u202e", "[", "{", "@", "- ", "ab "]), st.integers(1_000, 200_000)
).map(lambda p: p[0] * p[1])
hostile_text = st.one_of(odd_text, st.text(max_size=40), huge_text)


@st.composite
def mutated_text(draw, base: str, payload=hostile_text) -> bytes:
    """`base` after one to three edits: truncation, insertion, deletion, duplicated or swapped lines, bad bytes."""
    data = base.encode("utf-8")
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from([
            "truncate", "insert", "delete", "duplicate_line", "swap_lines", "bad_bytes", "replace_value",
        ]))
        at = draw(st.integers(0, len(data)))
        if kind == "truncate":
            data = data[:at]
        elif kind == "insert":
            data = data[:at] + draw(payload).encode("utf-8", "surrogatepass") + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 200)) :]
        elif kind == "bad_bytes":
            data = data[:at] + draw(st.binary(min_size=1, max_size=6)) + data[at:]
        else:
            data = _edit_lines(data, kind, at, draw(payload))
    return data


def _edit_lines(data: bytes, kind: str, at: int, payload: str) -> bytes:
    lines = data.split(b"\n")
    i = min(data[:at].count(b"\n"), len(lines) - 1)
    j = (i * 7 + 3) % len(lines)
    if kind == "duplicate_line":
        lines.insert(i, lines[i])
    elif kind == "swap_lines":
        lines[i], lines[j] = lines[j], lines[i]
    elif b":" in lines[i] or b"=" in lines[i]:
        sep = b":" if b":" in lines[i] else b"="
        lines[i] = lines[i].split(sep, 1)[0] + sep + b" " + payload.encode("utf-8", "surrogatepass")
    return b"\n".join(lines)


def assert_names_the_file(message: str, path: Path) -> None:
    """One message naming the file, short enough to read, never a dump of the input."""
    assert str(path) in message
    assert "Traceback" not in message
    assert len(message) < 2_000, message[:300]


def assert_cli_outcome(status: int, err: str, path: Path) -> None:
    """Exit 0, or exit 2 with one paragraph on stderr that names the file."""
    if status == 0:
        return
    assert status == 2, err
    assert err.strip() and "\n\n" not in err.strip()
    assert_names_the_file(err.replace("\n", " "), path)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """A copy of the example case (figures, references.bib) whose case file examples overwrite."""
    return copy_example(tmp_path_factory.mktemp("robust")).parent


# -- case files ------------------------------------------------------------------------------


@PROPERTY
@given(data=mutated_text(SEED_TEXT))
def test_mutated_case_file_loads_or_names_the_file(data, workdir, capsys):
    path = workdir / "mutant.yaml"
    path.write_bytes(data)
    try:
        load_case(path)
    except CaseletterError as exc:
        assert_names_the_file(exc.message, path)
    status = main(["dosing", str(path)])
    assert_cli_outcome(status, capsys.readouterr().err, path)


def _plain_seed() -> dict:
    """The example case as plain data, without its timeline and figures (drawn and tested elsewhere)."""
    data = YAML(typ="safe", pure=True).load(SEED_TEXT)
    data.pop("timeline")
    data.pop("figures")
    data["case"]["presentation"] = data["case"]["presentation"].replace("(@fig-before)", "")
    data["case"]["outcome"] = data["case"]["outcome"].replace("(@fig-after)", "")
    return data


PLAIN_SEED = _plain_seed()


def _paths(node, prefix=()) -> list[tuple]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _paths(value, (*prefix, i))
    return found


SEED_PATHS = _paths(PLAIN_SEED)[1:]
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(), hostile_text),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)),
    max_leaves=12,
)


def _get(node, path):
    for part in path:
        node = node[part]
    return node


@st.composite
def mutated_case(draw) -> dict:
    """The plain seed with a few values replaced: mostly hostile strings, sometimes wrong types."""
    data = copy.deepcopy(PLAIN_SEED)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(SEED_PATHS))
        try:  # an earlier edit may have replaced a value on this path
            parent = _get(data, path[:-1])
            old = parent[path[-1]]
        except (KeyError, IndexError, TypeError):
            continue
        parent[path[-1]] = draw(hostile_text if isinstance(old, str) and draw(st.integers(0, 3)) else json_values)
    return data


@settings(PROPERTY, max_examples=max(5, settings().max_examples // 2))  # each example runs pandoc twice
@given(data=mutated_case())
def test_hostile_values_give_letter_parts_or_name_the_file(data, workdir):
    path = workdir / "values.yaml"
    yaml = YAML(typ="safe", pure=True)
    yaml.allow_unicode = True
    with path.open("w", encoding="utf-8") as stream:
        yaml.dump(data, stream)
    try:
        letter = open_letter(path)
    except CaseletterError as exc:
        assert_names_the_file(exc.message, path)
        return
    assert letter.sections["title"].html and letter.sections["references"].html


def test_regimen_errors_quote_a_huge_value_short(workdir):
    path = workdir / "huge_dose.yaml"
    path.write_text(SEED_TEXT.replace("- dose: 12.5 g", "- dose: " + "x" * 100_000, 1), encoding="utf-8")
    with pytest.raises(DosingError) as caught:
        from caseletter.dosing.compute import compute_dosing

        compute_dosing(load_case(path), path)
    assert len(caught.value.message) < 2_000


# -- .bib files ------------------------------------------------------------------------------

bib_payload = st.one_of(hostile_text, st.sampled_from([
    "@article{", "@article{dup,", "@string{jn = \"J\"}", "title = {", "author = {and and}", "year = {}",
    "pages = {--}", "month = {13}", "date = {2020-99-99}", "urldate = {yesterday}", "@comment{", "@preamble{",
    "}", "}}", "{", "\"", "= ", ",,", "#", "$\\alpha", "\\newcommand{\\x}{\\x}", "\\x", "{\\'", "%",
]))


@PROPERTY
@given(data=st.one_of(mutated_text(BIB_TEXT, bib_payload), mutated_text(REAL_BIB_TEXT, bib_payload)))
def test_mutated_bib_loads_or_names_the_file(data, workdir):
    path = workdir / "mutant.bib"
    path.write_bytes(data)
    try:
        bibliography = load_bibliography([path])
        bibliography.csl_items()
    except CaseletterError as exc:
        assert_names_the_file(exc.message, path)


@settings(PROPERTY, max_examples=max(5, settings().max_examples // 2))  # each example runs pandoc
@given(data=mutated_text(BIB_TEXT, bib_payload))
def test_mutated_bib_through_refs_prints_references_or_one_paragraph(data, workdir, capsys):
    path = workdir / "refs.bib"
    path.write_bytes(data)
    status = main(["refs", str(path)])
    out, err = capsys.readouterr()
    assert_cli_outcome(status, err, path)
    if status == 0:
        assert all(line.split(". ", 1)[0].isdigit() for line in out.splitlines() if line)

"""Hostile case files: object-building tags, alias bombs and deep nesting are refused quickly.

Each is refused by `load_case` with a `BadYAML` that names the file and line, and through the
CLI with one paragraph on stderr and exit status 2.
"""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from caseletter.case.source import load_case
from caseletter.cli import main
from caseletter.errors import BadYAML, SchemaViolation
from helpers import EXAMPLE_CASE, FIXTURES

HOSTILE = FIXTURES / "hostile"


def test_billion_laughs_is_refused_within_a_second_and_small_memory():
    path = HOSTILE / "billion_laughs.yaml"
    load_case(EXAMPLE_CASE)  # import the YAML parser first: the timing is of the refusal alone
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(BadYAML) as caught:
            load_case(path)
        seconds = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seconds < 1.0
    assert peak < 10_000_000  # bytes; expanded, the file would need tens of gigabytes
    assert str(path) in caught.value.message
    assert "aliases are expanded" in caught.value.message


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        pytest.param(
            "python_object_tag.yaml", "tag:yaml.org,2002:python/object/apply:os.system", id="python_object_apply_tag"
        ),
        pytest.param("custom_tag.yaml", "!include", id="local_include_tag"),
        pytest.param("str_tag.yaml", "tag:yaml.org,2002:str", id="str_tag_kept_as_object_by_the_loader"),
    ],
)
def test_tags_that_build_objects_are_refused_with_their_line(name, shown):
    path = HOSTILE / name
    with pytest.raises(BadYAML) as caught:
        load_case(path)
    message = caught.value.message
    assert message.startswith(f"{path}, line ")
    assert f"the tag {shown} is not allowed" in message
    assert not Path("/tmp/caseletter-owned").exists()


@pytest.mark.parametrize(
    ("text", "why"),
    [
        pytest.param(
            "title: " + "[" * 5000 + "]" * 5000, "opens more than 200 brackets", id="5000_brackets_on_one_line"
        ),
        pytest.param(
            "title:\n" + "".join("  " * i + "- \n" for i in range(60)) + "  " * 60 + "- x\n",
            "nest more than 40 levels",
            id="block_lists_60_deep",
        ),
        pytest.param(
            "title: " + "\n  ".join(["[" * 100] * 50) + "]" * 5000,
            "nest more than 40 levels",
            id="brackets_spread_over_lines",
        ),
    ],
)
def test_deep_nesting_is_refused_before_the_parser_reads_it_all(text, why, tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(BadYAML) as caught:
        load_case(path)
    assert time.perf_counter() - start < 0.5
    assert why in caught.value.message and caught.value.message.startswith(f"{path}, line ")


def test_plain_type_tags_and_modest_aliases_still_load(tmp_path):
    text = EXAMPLE_CASE.read_text(encoding="utf-8")
    text = text.replace("  age: 54", "  age: !!int 54")
    text = text.replace(
        "  - name: Sam Okafor\n    degrees: MD\n"
        "    affiliation: Department of Dermatology, Example University School of Medicine",
        "  - name: Sam Okafor\n    degrees: MD\n    affiliation: *dept",
    )
    text = text.replace(
        "    affiliation: Department of Dermatology, Example University School of Medicine\n    corresponding",
        "    affiliation: &dept Department of Dermatology, Example University School of Medicine\n"
        "    corresponding",
    )
    path = tmp_path / "aliased.yaml"
    path.write_text(text, encoding="utf-8")
    case = load_case(path)
    assert case.patient.age == 54
    assert (
        case.authors[1].affiliation
        == case.authors[0].affiliation
        == "Department of Dermatology, Example University School of Medicine"
    )


@pytest.mark.parametrize(
    "name", ["billion_laughs.yaml", "python_object_tag.yaml", "custom_tag.yaml", "deep_nesting.yaml"]
)
def test_cli_refuses_hostile_yaml_in_one_paragraph(name, tmp_path, capsys):
    path = HOSTILE / name
    status = main(["build", "--out", str(tmp_path), str(path)])
    err = capsys.readouterr().err
    assert status == 2
    assert str(path) in err.replace("\n", " ")
    assert "Traceback" not in err and "\n\n" not in err.strip()
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        pytest.param("x" * 300_000, "'" + "x" * 56 + "...", id="huge_string_cut"),
        pytest.param("[1, 2]", "a list is not accepted", id="list_named_plainly"),
        pytest.param("{a: 1}", "a mapping is not accepted", id="mapping_named_plainly"),
        pytest.param('"\\u202eevil"', r"'\u202eevil'", id="invisible_characters_escaped"),
    ],
)
def test_a_wrong_value_is_quoted_short_and_plain(value, shown, tmp_path):
    path = tmp_path / "wrong.yaml"
    path.write_text(
        EXAMPLE_CASE.read_text(encoding="utf-8").replace("    corresponding: true", f"    corresponding: {value}"),
        encoding="utf-8",
    )
    with pytest.raises(SchemaViolation) as caught:
        load_case(path)
    message = caught.value.message
    assert message.startswith(f"{path}, authors[0].corresponding (line ")
    assert shown in message and len(message) < 400


@pytest.mark.parametrize(
    ("escape", "code"),
    [
        pytest.param("\\0", "U+0000", id="nul_stops_pandoc_and_word"),
        pytest.param("\\e[31m", "U+001B", id="terminal_escape"),
        pytest.param("\\a", "U+0007", id="bell"),
        pytest.param("\\x7f", "U+007F", id="delete"),
        pytest.param("\\x9b", "U+009B", id="c1_control"),
    ],
)
def test_control_characters_written_as_escapes_are_refused_by_field(escape, code, tmp_path):
    path = tmp_path / "control.yaml"
    text = EXAMPLE_CASE.read_text(encoding="utf-8")
    path.write_text(
        text.replace("\ntitle: Generalized dystrophic", f'\ntitle: "Generalized{escape} dystrophic"\nx: Generalized'),
        encoding="utf-8",
    )
    with pytest.raises(SchemaViolation) as caught:
        load_case(path)
    assert caught.value.message.startswith(f"{path}, title (line 10): the text holds the control character {code}")


def test_a_raw_control_character_is_refused_with_its_line(tmp_path):
    path = tmp_path / "raw.yaml"
    path.write_text(EXAMPLE_CASE.read_text(encoding="utf-8").replace("age: 54", "age: 5\x074"), encoding="utf-8")
    with pytest.raises(BadYAML) as caught:
        load_case(path)
    assert caught.value.message.startswith(f"{path}, line 29: the control character U+0007 is not allowed")


def test_tabs_and_line_breaks_in_values_are_text(tmp_path):
    path = tmp_path / "tabs.yaml"
    lines = EXAMPLE_CASE.read_text(encoding="utf-8").splitlines()
    lines[9] = 'title: "Tab\\there,\\nnewline\\r\\nend"'
    path.write_text("\n".join(lines), encoding="utf-8")
    assert load_case(path).title == "Tab\there,\nnewline\r\nend"


def test_an_unknown_field_with_a_huge_name_is_quoted_short(tmp_path):
    path = tmp_path / "huge_key.yaml"
    path.write_text(
        EXAMPLE_CASE.read_text(encoding="utf-8").replace("\nkeywords:", "\n? " + "k" * 300_000 + "\n: 1\nkeywords:"),
        encoding="utf-8",
    )
    with pytest.raises(SchemaViolation) as caught:
        load_case(path)
    message = caught.value.message
    assert message.startswith(f"{path}, '{'k' * 56}... (line ") and "is not a field of the case file" in message
    assert len(message) < 600

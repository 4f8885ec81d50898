"""`labs:` printed as a "Laboratory values" table in the Case section, in HTML and DOCX, in the journal's unit order."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from caseletter.case.scaffold import scaffold_case
from caseletter.case.source import load_case
from caseletter.errors import UnknownStyle
from caseletter.journals import load_journal
from caseletter.letter.notebook import open_letter
from helpers import edited_example, run_cli

HOSTILE = "Anti-Scl-70 <script>alert(1)</script> [x](javascript:alert(1)) @fig-before"
LABS = [
    {"test": "Calcium", "value": "10.2", "unit": "mg/dL", "range": "8.5-10.5 mg/dL", "time": "0"},
    {"test": "Phosphate", "value": "5.1", "unit": "mg/dL", "range": "2.5–4.5", "time": "0"},
    {"test": "Creatinine", "value": "1.2", "unit": "mg/dL", "range": "0.6-1.1 mg/dL", "note": "stable"},
    {"test": "Albumin", "value": "3.1", "unit": "g/dL", "range": "3.5-5.0 g/dL", "time": "3 months"},
    {"test": HOSTILE, "value": "positive"},
    {"test": "C-reactive protein", "value": "12", "unit": "mg/L", "range": "<5"},
]


def with_labs(root, **changes):
    """The example case (journal: cutis, whose profile gives no lab_units) with the labs above."""
    return edited_example(root, edit=lambda data: data.insert(list(data).index("case") + 1, "labs", LABS), **changes)


@pytest.fixture(scope="module")
def lab_letter(tmp_path_factory):
    """The example case with labs, built once to HTML and DOCX."""
    root = tmp_path_factory.mktemp("labs")
    case = with_labs(root)
    run = run_cli("build", case, "--out", root / "build", "--to", "html,docx")
    assert run.status == 0, run.err
    return root / "build" / case.stem


def rows_of(table) -> list[list[str]]:
    return [[cell.get_text(" ", strip=True) for cell in tr.find_all(["td", "th"])] for tr in table.find_all("tr")]


def test_html_prints_the_values_si_first_with_their_flags(lab_letter):
    page = BeautifulSoup((lab_letter / "letter.html").read_text(encoding="utf-8"), "html.parser")
    table = next(t for t in page.find_all("table") if "Laboratory values" in t.get_text())
    rows = rows_of(table)
    assert rows[0] == ["Test", "Time", "Result", "Reference range", "Flag", "Note"]
    assert ["Calcium", "Presentation", "2.55 mmol/L (10.2 mg/dL)", "2.12–2.62 mmol/L (8.5–10.5 mg/dL)", "", ""] in rows
    phosphate = ["Phosphate", "Presentation", "1.65 mmol/L (5.1 mg/dL)", "0.807–1.45 mmol/L (2.5–4.5 mg/dL)", "H", ""]
    assert phosphate in rows
    assert ["Creatinine", "", "106 µmol/L (1.2 mg/dL)", "53.0–97.2 µmol/L (0.6–1.1 mg/dL)", "H", "stable"] in rows
    assert ["Albumin", "3 months", "31.0 g/L (3.1 g/dL)", "35.0–50.0 g/L (3.5–5.0 g/dL)", "L", ""] in rows
    assert ["C-reactive protein", "", "12 mg/L", "<5", "H", ""] in rows
    caption = table.caption.get_text(" ", strip=True)
    assert "SI units with conventional units in parentheses" in caption and "3 significant digits" in caption
    assert "H, above the reference range" in caption


def test_the_table_closes_the_case_section_before_its_figures(lab_letter):
    html = (lab_letter / "letter.html").read_text(encoding="utf-8")
    case_text, lab_table, first_figure = (html.index(s) for s in ("A 54-year-old", "Laboratory values", 'id="fig-'))
    assert case_text < lab_table < first_figure < html.index(">Discussion<")


def test_hostile_text_in_a_lab_prints_as_typed(lab_letter):
    page = BeautifulSoup((lab_letter / "letter.html").read_text(encoding="utf-8"), "html.parser")
    table = next(t for t in page.find_all("table") if "Laboratory values" in t.get_text())
    assert table.find("script") is None and table.find("a") is None
    assert "<script>alert(1)</script> [x](javascript:alert(1)) Figure 1" in table.get_text()  # @fig-before


def test_docx_carries_the_same_table(lab_letter):
    from docx import Document

    tables = [[[c.text for c in row.cells] for row in t.rows] for t in Document(str(lab_letter / "letter.docx")).tables]
    labs = next(t for t in tables if t[0][:3] == ["Test", "Time", "Result"])
    assert ["Calcium", "Presentation", "2.55 mmol/L (10.2 mg/dL)", "2.12–2.62 mmol/L (8.5–10.5 mg/dL)", "", ""] in labs
    assert any(row[0] == "Phosphate" and row[4] == "H" for row in labs)


def lab_cells(html: str) -> list[str]:
    table = next(t for t in BeautifulSoup(html, "html.parser").find_all("table"))
    return [cell.get_text(" ", strip=True) for cell in table.find_all("td")]


def test_the_ama_profile_prints_conventional_units_first(tmp_path):
    letter = open_letter(with_labs(tmp_path), journal="ama")
    assert load_journal("ama").lab_units == "conventional_first"
    assert "10.2 mg/dL (2.55 mmol/L)" in lab_cells(letter.sections["case"].html)
    assert "conventional units with SI units in parentheses" in letter.sections["case"].html


def test_a_profile_can_ask_for_values_as_reported(tmp_path):
    case = with_labs(tmp_path, journal="mine")
    folder = case.parent / "journals" / "mine"
    folder.mkdir(parents=True)
    (folder / "journal.yaml").write_text("name: Mine\ncsl_style: jama\nlab_units: as_reported\n", encoding="utf-8")
    cells = lab_cells(open_letter(case).sections["case"].html)
    assert "10.2 mg/dL" in cells and "8.5-10.5 mg/dL" in cells and not any("mmol" in c for c in cells)


@pytest.mark.parametrize(("value", "said"), [
    pytest.param("si-first", "Did you mean 'si_first'?", id="hyphen_for_underscore"),
    pytest.param("conventional", "Did you mean 'conventional_first'?", id="half_a_name"),
    pytest.param("[si_first]", "si_first, conventional_first, as_reported", id="a_list"),
])
def test_a_typo_in_lab_units_is_refused(tmp_path, value, said):
    folder = tmp_path / "cases" / "journals" / "mine"
    folder.mkdir(parents=True)
    (folder / "journal.yaml").write_text(f"name: X\ncsl_style: jama\nlab_units: {value}\n", encoding="utf-8")
    with pytest.raises(UnknownStyle) as caught:
        load_journal("mine", tmp_path / "cases" / "case.yaml")
    assert "lab_units" in caught.value.where and said in caught.value.message


def test_a_profile_without_lab_units_prints_si_first():
    assert load_journal("cutis").lab_units == "si_first"


def test_a_case_without_labs_has_no_lab_table(tmp_path):
    letter = open_letter(edited_example(tmp_path))
    assert "Laboratory values" not in letter.sections["case"].html
    assert letter.case.labs == []


def test_the_schema_describes_labs():
    run = run_cli("schema")
    schema = json.loads(run.out)
    lab = schema["$defs"]["Lab"]
    assert "labs" in schema["properties"]
    assert set(lab["properties"]) == {"test", "value", "unit", "range", "time", "note"}


def test_the_new_case_templates_lab_example_is_valid_when_uncommented(tmp_path):
    path = scaffold_case("labs", tmp_path)[0]
    lines = path.read_text(encoding="utf-8").splitlines()
    end = lines.index("labs: []")
    start = max(i for i in range(end) if lines[i].startswith("# Example"))
    block = [line[1:] for line in lines[start + 1 : end] if line.startswith("#  ")]
    path.write_text("\n".join([*lines[:end], "labs:", *block, *lines[end + 1 :]]) + "\n", encoding="utf-8")
    labs = load_case(path).labs
    assert [(lab.test, lab.value, lab.unit) for lab in labs] == [
        ("Calcium", "10.2", "mg/dL"), ("Phosphate", "5.1", "mg/dL"),
    ]
    assert "lab_units:" in path.read_text(encoding="utf-8")

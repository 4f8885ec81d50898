"""Hostile text in every field of a case: printed as typed in all three formats, never run.

One build of the example case with scripts, event handlers, ``javascript:`` links and template
syntax written into its narrative, names, legends, table and timeline. The HTML is parsed
(no script element, no event handler, no script URL) and opened in headless Chromium, where
every payload would leave a marker in the page if it ran; the template syntax must come out
literally in the HTML, the DOCX and the PDF.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from caseletter.build import build_letter
from helpers import edited_example

CHROMIUM = "/usr/bin/chromium"
MARKER = "PWNED42"  # what a payload writes if it runs; the payloads build it as 'PW'+'NED'+(40+2)
RUN = "document.title='PW'+'NED'+(40+2);document.documentElement.setAttribute('data-x','PW'+'NED'+(40+2))"
PAYLOADS = {
    "script": f"<script>{RUN}</script>",
    "img": f'<img src=x onerror="{RUN}">',
    "svg": f'<svg onload="{RUN}"></svg>',
    "link": f"[click here](javascript:{RUN})",
    "anchor": f'<a href="javascript:{RUN}">anchor</a>',
    "iframe": f'<iframe src="javascript:{RUN}"></iframe>',
    "meta": f'<meta http-equiv="refresh" content="0;url=javascript:{RUN}">',
    "attribute": f'`code`{{onmouseover="{RUN}"}}',
}
# One asterisk in all: two in one paragraph would be Markdown emphasis, as the author meant.
TEMPLATE_SYNTAX = ["{{ 7*7 }}", "{% raw %}", "{# note #}", "{{ config }}", "${7+7}", "#{7+7}", "<%= 7+7 %>"]
EVERY_PAYLOAD = " ".join(PAYLOADS.values())
TEMPLATES = " ".join(TEMPLATE_SYNTAX)


def hostile_case(data: dict) -> dict:
    """The example case with payloads and template syntax in every field a reader sees."""
    data["title"] = f"Title <script>{RUN}</script> {TEMPLATES}"
    data["authors"][0]["name"] = f"Jordan <b onmouseover=\"{RUN}\">Avery</b> {{{{ 7*7 }}}}"
    data["authors"][0]["affiliation"] = f"Dept <script>{RUN}</script> {{% raw %}}"
    data["opening"] += f" {EVERY_PAYLOAD} {TEMPLATES}"
    for part in ("presentation", "treatment", "outcome"):
        data["case"][part] += f" {EVERY_PAYLOAD} {TEMPLATES}"
    data["case"]["diagnosis"]["assessment"] += f" {PAYLOADS['script']} {TEMPLATES}"
    data["discussion"].append(f"{EVERY_PAYLOAD}\n\n{TEMPLATES}\n\n<style>body {{ display: none }}</style>")
    data["dosing"]["text"][0] += f" {PAYLOADS['img']} {TEMPLATES}"
    data["dosing"]["literature"][0]["label"] += f" <script>{RUN}</script> {{{{ 7*7 }}}}"
    data["dosing"]["literature"][0]["note"] = f"{PAYLOADS['link']} {{% raw %}}"
    data["interventions"][0]["note"] = f"{PAYLOADS['svg']} {TEMPLATES}"
    data["practice_points"].append(f"{EVERY_PAYLOAD} {TEMPLATES}")
    data["figures"][0]["legend"] += f" {EVERY_PAYLOAD} {TEMPLATES}"
    data["figures"][0]["alt"] = f'"><script>{RUN}</script> {TEMPLATES}'
    data["figures"][0]["panels"][0]["caption"] = f"{PAYLOADS['iframe']} {{{{ 7*7 }}}}"
    data["timeline"][0]["event"] = f"<script>{RUN}</script> {{{{ 7*7 }}}}"
    return data


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    """One build (HTML, DOCX, PDF) of the hostile copy of the example case."""
    root = tmp_path_factory.mktemp("hostile")
    case = edited_example(root, hostile_case)
    return build_letter(case, root / "out", ("html", "docx", "pdf"))


@pytest.fixture(scope="module")
def html(hostile_build) -> str:
    return hostile_build.files["html"].read_text(encoding="utf-8")


def test_no_active_element_or_attribute_reaches_the_html(html):
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find_all(
        ["script", "iframe", "object", "embed", "svg", "meta"], attrs={"http-equiv": True}
    ) and not soup.find_all(["script", "iframe", "object", "embed", "svg"])
    assert len(soup.find_all("style")) == 1  # the letter's own stylesheet, in <head>
    handlers = [(tag.name, attr) for tag in soup.find_all(True) for attr in tag.attrs if attr.lower().startswith("on")]
    assert handlers == []
    urls = [tag.get(attr, "") for tag in soup.find_all(True) for attr in ("href", "src", "action", "formaction")]
    assert not [u for u in urls if u.strip().lower().startswith(("javascript:", "vbscript:"))]
    assert all(u.startswith(("https://", "data:image/png;base64,")) for u in urls if u)


def straight_quotes(text: str) -> str:
    """Undo the typographic quotes pandoc sets, to compare with what the author typed."""
    return text.translate(str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'}))


def test_every_payload_is_printed_as_text(html):
    text = straight_quotes(BeautifulSoup(html, "html.parser").get_text())
    for name, payload in PAYLOADS.items():
        if name != "attribute":  # that one is Markdown: code whose attribute is dropped (checked above)
            assert text.count(payload) >= 7, payload  # opening, 3 case parts, discussion, legend, practice point
    assert text.count(f"<script>{RUN}</script>") >= 12
    assert "<style>body { display: none }</style>" in text


def test_template_syntax_is_printed_not_evaluated_in_all_three_formats(hostile_build, html):
    from docx import Document
    from pypdf import PdfReader

    html_text = BeautifulSoup(html, "html.parser").get_text()
    docx = hostile_build.files["docx"]
    docx_text = "\n".join(p.text for p in Document(docx).paragraphs)
    docx_text += "\n".join(cell.text for table in Document(docx).tables for row in table.rows for cell in row.cells)
    pdf_text = " ".join(
        " ".join((page.extract_text() or "").split()) for page in PdfReader(hostile_build.files["pdf"]).pages
    )
    for name, text in [("html", html_text), ("docx", docx_text), ("pdf", straight_quotes(pdf_text))]:
        for syntax in TEMPLATE_SYNTAX:
            assert syntax in text, (name, syntax)
        assert "Title <script>" in text, name


def test_chromium_runs_none_of_the_payloads(hostile_build, html, tmp_path):
    dom = dump_dom(hostile_build.files["html"], tmp_path / "profile")
    assert "To the Editor:" in dom and "Practice Points" in dom  # the page did load and render
    assert MARKER not in dom
    title = BeautifulSoup(dom, "html.parser").title.get_text()
    assert title.startswith("Title <script>") and "{{ 7*7 }}" in title


def test_chromium_check_would_see_a_payload_that_ran(tmp_path):
    page = tmp_path / "control.html"
    page.write_text(
        f"<!DOCTYPE html><html><head><title>t</title></head><body><p>x</p><script>{RUN}</script></body></html>",
        encoding="utf-8",
    )
    assert MARKER in dump_dom(page, tmp_path / "profile")


def dump_dom(page: Path, profile: Path) -> str:
    """The page's DOM after load, as headless Chromium serializes it."""
    args = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", "--dump-dom", page.resolve().as_uri(),
    ]
    done = subprocess.run(args, capture_output=True, text=True, timeout=60, check=True)
    return done.stdout

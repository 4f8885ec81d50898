"""The letter notebook in a real browser: JupyterLab on loopback, headless Chromium, Run All.

Needs the ``jupyterlab`` and ``playwright`` Python packages and Debian's ``chromium``; the
server and the browser come from this folder's conftest.
"""

from __future__ import annotations

import re
import time

KERNEL_IDLE_SECONDS = 40
RUN_ALL_SECONDS = 60


def wait_for_idle_kernel(page) -> None:
    """Wait until the notebook's kernel is idle, choosing the suggested kernel if JupyterLab asks."""
    status = page.locator(".jp-StatusBar-TextItem", has_text=re.compile(r"\| Idle$"))
    select = page.locator(".jp-Dialog button", has_text="Select")
    deadline = time.monotonic() + KERNEL_IDLE_SECONDS
    while time.monotonic() < deadline:
        if status.count():
            return
        if select.count():
            select.first.click()
        page.wait_for_timeout(300)
    raise AssertionError(
        f"the kernel was not idle within {KERNEL_IDLE_SECONDS} s: "
        f"{page.locator('.jp-StatusBar-TextItem').all_inner_texts()}"
    )


def run_all_cells(page) -> None:
    """Run > Run All Cells, from the menu bar, as a reader would."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()


def wait_for_every_cell_to_finish(page) -> None:
    """Wait until every code cell's prompt carries its execution count ([*] while it runs)."""
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
            return prompts.length > 0 && prompts.every(p => /^\\[\\d+\\]:$/.test(p.textContent.trim()));
        }""",
        timeout=RUN_ALL_SECONDS * 1000,
    )


def test_letter_notebook_runs_in_jupyterlab_and_shows_its_references(jupyterlab, browser, tmp_path):
    base, token, _ = jupyterlab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(30_000)
    try:
        page.goto(f"{base}/lab/tree/notebooks/letter.ipynb?token={token}&reset", timeout=30_000)
        page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for()
        wait_for_idle_kernel(page)
        run_all_cells(page)
        references = page.locator(".jp-OutputArea-output h2", has_text=re.compile(r"^References$"))
        references.wait_for(timeout=RUN_ALL_SECONDS * 1000)
        wait_for_every_cell_to_finish(page)
        references.scroll_into_view_if_needed()
        page.screenshot(path=str(tmp_path / "references.png"))
        entries = page.locator(".jp-OutputArea-output .csl-entry").all_inner_texts()
        prompts = page.locator(".jp-CodeCell .jp-InputPrompt").all_text_contents()
        outputs = " ".join(page.locator(".jp-OutputArea-output").all_text_contents())
    finally:
        page.close()
    assert len(entries) == 6, entries
    assert "Gutierrez A Jr, Wetter DA. Calcinosis cutis in autoimmune connective tissue diseases" in entries[0]
    assert "Smith GP. Intradermal sodium thiosulfate" in entries[5]
    assert prompts and all(re.fullmatch(r"\[\d+\]:", p.strip()) for p in prompts), prompts
    assert "Traceback" not in outputs and "Error" not in outputs
    assert "To the Editor" in outputs and "Practice Points" in outputs
    assert (tmp_path / "references.png").stat().st_size > 10_000


def test_the_student_edition_in_jupyterlab_shows_checks_and_no_solutions(jupyterlab, browser, tmp_path):
    """A learner opens the handed-out writing lesson and runs it all before answering anything."""
    import nbformat

    from caseletter.teaching.editions import lesson_source, student_edition

    base, token, root = jupyterlab
    (root / "handout").mkdir(exist_ok=True)
    nbformat.write(student_edition(lesson_source("writing")), root / "handout" / "writing.ipynb")
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(30_000)
    try:
        page.goto(f"{base}/lab/tree/handout/writing.ipynb?token={token}&reset", timeout=30_000)
        page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for()
        wait_for_idle_kernel(page)
        run_all_cells(page)
        wait_for_every_cell_to_finish(page)
        page.locator(".jp-OutputArea-output", has_text="Not yet").last.scroll_into_view_if_needed()
        page.screenshot(path=str(tmp_path / "student-edition.png"))
        # text content, not inner text: JupyterLab leaves the cells out of view unrendered
        verdicts = page.locator(".jp-OutputArea-output", has_text=re.compile(r"^(Right|Not yet): ")).all_text_contents()
        stderr = page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').count()
        text = page.locator(".jp-NotebookPanel").text_content()
    finally:
        page.close()
    assert len(verdicts) == 8 and all(v.strip().startswith("Not yet: ") for v in verdicts), verdicts
    assert stderr == 0, "a cell shows output on stderr (a kernel warning?)"
    for hidden in ("BEGIN SOLUTION", "assert_right", "international-journal-of-dermatology\"", "Traceback"):
        assert hidden not in text
    assert "Your answer: change the value above" in text
    assert (tmp_path / "student-edition.png").stat().st_size > 10_000

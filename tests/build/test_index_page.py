"""The class index page: links only to files the build wrote, quotes no identifier, never a traceback."""

from __future__ import annotations

import os
import stat
from urllib.parse import unquote

from bs4 import BeautifulSoup

from helpers import copy_example, run_cli


def hrefs(index) -> list[str]:
    return [a["href"] for a in BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser").find_all("a")]


def test_a_case_named_like_a_script_url_links_to_its_own_folder(tmp_path):
    case = copy_example(tmp_path)
    evil = case.with_name("javascript:alert(document.domain).yaml")
    case.rename(evil)
    other = evil.with_name("plain.yaml")
    other.write_bytes(evil.read_bytes())
    run = run_cli("build", evil, other, "--out", tmp_path / "out", "--to", "html")
    assert run.status == 0, run.err
    links = hrefs(tmp_path / "out" / "index.html")
    assert links and not [h for h in links if h.lower().startswith("javascript")]
    assert all(h.startswith("./") for h in links)
    assert (tmp_path / "out").joinpath(unquote(links[0])).is_file()


def test_refused_identifiers_are_not_quoted_on_the_index(tmp_path):
    case = copy_example(tmp_path)
    text = case.read_text(encoding="utf-8").replace("presentation: ", "presentation: Seen by Dr Alan Reed. ", 1)
    leaky = case.with_name("leaky.yaml")
    leaky.write_text(text, encoding="utf-8")
    run = run_cli("build", case, leaky, "--out", tmp_path / "out", "--to", "html")
    assert run.status == 1
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "Alan Reed" not in index and "identifier" in index and "case.presentation" in index
    log = tmp_path / "out" / "leaky" / "build.log"
    assert not log.exists() or "Alan Reed" not in log.read_text(encoding="utf-8")


def test_every_case_failing_into_a_new_folder_still_writes_the_index(tmp_path):
    case = copy_example(tmp_path)
    case.write_text(case.read_text(encoding="utf-8").replace("title: ", "titel: ", 1), encoding="utf-8")
    twin = case.with_name("twin.yaml")
    twin.write_bytes(case.read_bytes())
    run = run_cli("build", case, twin, "--out", tmp_path / "new" / "out")
    assert run.status == 1 and "Traceback" not in run.err
    assert (tmp_path / "new" / "out" / "index.html").is_file()


def test_an_out_path_that_is_a_file_is_one_paragraph(tmp_path):
    case = copy_example(tmp_path)
    twin = case.with_name("twin.yaml")
    twin.write_bytes(case.read_bytes())
    (tmp_path / "out").write_text("not a folder", encoding="utf-8")
    run = run_cli("build", case, twin, "--out", tmp_path / "out", "--to", "html")
    assert run.status == 2 and "Traceback" not in run.err and "\n\n" not in run.err.strip()
    assert str(tmp_path / "out") in " ".join(run.err.split())


def test_a_read_only_out_folder_is_one_paragraph(tmp_path):
    case = copy_example(tmp_path)
    twin = case.with_name("twin.yaml")
    twin.write_bytes(case.read_bytes())
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.access(out, os.W_OK):  # root writes anywhere: make the folder a file's child instead
            out.chmod(0o755)
            out = tmp_path / "out" / "blocked"
            out.write_text("x", encoding="utf-8")
            out = out / "inside"
        run = run_cli("build", case, twin, "--out", out, "--to", "html")
    finally:
        (tmp_path / "out").chmod(0o755)
    assert run.status == 2 and "Traceback" not in run.err and "\n\n" not in run.err.strip()


def test_a_case_named_like_the_index_page_is_refused_by_name(tmp_path):
    case = copy_example(tmp_path)
    named = case.with_name("index.html.yaml")
    case.rename(named)
    twin = named.with_name("twin.yaml")
    twin.write_bytes(named.read_bytes())
    run = run_cli("build", named, twin, "--out", tmp_path / "out", "--to", "html")
    assert run.status == 1 and "Traceback" not in run.err
    assert "index.html.yaml" in " ".join((run.out + run.err).split())
    assert (tmp_path / "out" / "index.html").is_file()

"""A class built on a Dask cluster: the same letters, roster and remembered failures as a local build.

A real cluster of two worker processes (distributed's LocalCluster) builds a class of four cases
(ready, another journal, a draft, one refused for an unknown citation key) through the command
line, from the class's own folder as a user would; the same class built by the local pool is the
reference. The workers get the cases' inputs as bytes: nothing tells them where the class is.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers import ROOT, edited_example

distributed = pytest.importorskip("distributed")

CASELETTER = Path(sys.executable).parent / "caseletter"
CASES = {
    "ready": {},
    "ama": dict(journal="ama"),
    "draft": dict(replace=[("consent: The patient", "consent: TODO what was consented to. The patient")]),
    "unknown-key": dict(replace=[("[@gutierrez2012]", "[@nosuchkey2020]")]),
}
BUILT = ("ready", "ama", "draft")


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes of one thread each, as `dask worker --nworkers 2 --nthreads 1` would give."""
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0", silence_logs=logging.ERROR,
    ) as local:
        yield local


@pytest.fixture(scope="module")
def client(cluster):
    """A client of the test's own, to ask the workers what they did."""
    with distributed.Client(cluster, set_as_default=False) as connected:
        yield connected


def started(root: Path, *argv: str, **variables: str) -> subprocess.Popen:
    """``caseletter ARGV`` started in a new process in the class's folder, with any environment variables given."""
    env = {**os.environ, "COLUMNS": "200", **variables}
    return subprocess.Popen([str(CASELETTER), *argv], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)


def finished(process: subprocess.Popen) -> subprocess.CompletedProcess:
    """What a started ``caseletter`` printed, once it has ended."""
    out, err = process.communicate()
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def caseletter(root: Path, *argv: str, **variables: str) -> subprocess.CompletedProcess:
    """``caseletter ARGV`` run to its end (see `started`)."""
    return finished(started(root, *argv, **variables))


@pytest.fixture(scope="module")
def classroom(tmp_path_factory, request):
    """The class built twice, at once: by the local pool into local/, by the cluster into dask/."""
    root = tmp_path_factory.mktemp("dask-class")
    (root / "cases").mkdir()
    for name, edit in CASES.items():  # one cases/ folder; the figures and references.bib shared
        made = edited_example(root / "made" / name, **edit)
        (root / "cases" / f"{name}.yaml").write_text(made.read_text(encoding="utf-8"), encoding="utf-8")
    shutil.copytree(made.parent / "figures", root / "cases" / "figures")
    shutil.copy(made.parent.parent / "references.bib", root / "references.bib")
    shutil.rmtree(root / "made")
    local = started(root, "build", "cases", "--out", "local")
    try:
        cluster = request.getfixturevalue("cluster")  # it starts while the local pool builds
        on_cluster = caseletter(root, "build", "cases", "--out", "dask", "--dask", cluster.scheduler_address)
    finally:
        local = finished(local)
    return root, local, on_cluster


def visible_text(path: Path) -> str:
    """A page's text as a reader sees it (no scripts or styles), whitespace evened."""
    page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    for hidden in page(["script", "style"]):
        hidden.decompose()
    return " ".join(page.get_text(" ").split())


def docx_paragraphs(path: Path) -> list[str]:
    import docx

    return [p.text for p in docx.Document(str(path)).paragraphs]


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def roster_rows(folder: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((folder / "roster.csv").read_text(encoding="utf-8"))))


def test_the_cluster_builds_the_class_as_the_local_pool_does(classroom):
    root, local, on_cluster = classroom
    assert local.returncode == 1 and on_cluster.returncode == 1, on_cluster.stderr
    for name in BUILT:
        mine, theirs = root / "local" / name, root / "dask" / name
        assert visible_text(theirs / "letter.html") == visible_text(mine / "letter.html"), name
        assert docx_paragraphs(theirs / "letter.docx") == docx_paragraphs(mine / "letter.docx"), name
        assert pdf_text(theirs / "letter.pdf") == pdf_text(mine / "letter.pdf"), name
        assert visible_text(theirs / "check.html") == visible_text(mine / "check.html"), name
    assert "calcinosis" in visible_text(root / "dask" / "ready" / "letter.html").lower()
    failed = Path("unknown-key", "failed", "check.html")
    assert visible_text(root / "dask" / failed) == visible_text(root / "local" / failed)
    assert roster_rows(root / "dask") == roster_rows(root / "local")


def test_the_roster_is_written_once_here_with_each_case_state(classroom):
    root, _, on_cluster = classroom
    assert on_cluster.stdout.count("index: dask/index.html") == 1
    states = {row["case"]: row["status"] for row in roster_rows(root / "dask")}
    assert states == {"ready": "ready", "ama": "ready", "draft": "draft", "unknown-key": "check errors"}
    assert "nosuchkey2020" in visible_text(root / "dask" / "index.html")
    assert "3 built, 0 unchanged (not rebuilt), 1 failed." in on_cluster.stdout


def test_the_workers_built_every_case_on_kernels_they_keep_warm(classroom, client):
    root, _, on_cluster = classroom
    assert re.search(r"cluster: 4 case\(s\) built on [12] worker\(s\) of tcp://", on_cluster.stdout), on_cluster.stdout
    reports = client.run(caseletter_worker_report)
    built = sorted(name for report in reports.values() for name in report["built"])
    assert built == sorted(CASES)  # every case, by a worker process, none by the client
    assert all(report["pid"] != os.getpid() for report in reports.values())
    assert all(report["pools"] == 1 for report in reports.values() if report["built"])  # one warm pool, reused


def caseletter_worker_report(dask_worker=None) -> dict:
    from caseletter.build.clusterworker import cases_built_here

    return cases_built_here(dask_worker)


def test_the_failure_is_remembered_and_an_unchanged_class_sends_nothing(classroom, cluster, client):
    root, _, _ = classroom
    record = root / "dask" / "unknown-key" / "failed" / "failure.json"
    assert "nosuchkey2020" in record.read_text(encoding="utf-8")
    before = sum(len(r["built"]) for r in client.run(caseletter_worker_report).values())
    start = time.perf_counter()
    again = caseletter(root, "build", "cases", "--out", "dask", "--dask", cluster.scheduler_address)
    seconds = time.perf_counter() - start
    assert again.returncode == 1, again.stderr
    assert "0 built, 3 unchanged (not rebuilt), 1 failed." in again.stdout
    assert "cluster:" not in again.stdout and seconds < 5
    assert sum(len(r["built"]) for r in client.run(caseletter_worker_report).values()) == before


def test_what_the_cluster_built_is_cached_here_for_a_local_build(classroom):
    root, _, _ = classroom
    local = caseletter(root, "build", "cases", "--out", "dask")
    assert "0 built, 3 unchanged (not rebuilt), 1 failed." in local.stdout, local.stdout


def test_no_path_of_a_worker_or_of_this_machine_reaches_the_files(classroom):
    root, _, _ = classroom
    for path in (root / "dask").rglob("*"):
        if path.is_file() and path.suffix in (".html", ".ipynb", ".json", ".log", ".csv"):
            text = path.read_text(encoding="utf-8")
            assert "caseletter-worker-" not in text and str(root) not in text, path
            assert os.path.expanduser("~") not in text, path


def test_an_unreachable_cluster_is_one_paragraph_and_exit_2(tmp_path):
    shutil.copytree(ROOT / "cases", tmp_path / "cases")
    shutil.copy(ROOT / "references.bib", tmp_path / "references.bib")
    # Nothing listens there: a refused connection is retried until the connect timeout, 1 s here (10 s by default).
    done = caseletter(
        tmp_path, "build", "cases", "--out", "out", "--dask", "tcp://127.0.0.1:1", CASELETTER_CONNECT_TIMEOUT="1",
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "\n\n" not in done.stderr.strip()
    paragraph = " ".join(done.stderr.split())
    assert "--dask tcp://127.0.0.1:1: no Dask scheduler answered there" in paragraph
    assert "dask scheduler" in paragraph and "Nothing was built." in paragraph
    assert not [p for p in (tmp_path / "out").rglob("*") if p.is_file()]


def test_without_distributed_the_message_says_what_to_install(tmp_path):
    shutil.copytree(ROOT / "cases", tmp_path / "cases")
    shutil.copy(ROOT / "references.bib", tmp_path / "references.bib")
    code = (
        "import sys; sys.modules['distributed'] = None; from caseletter.cli import main; "
        "sys.exit(main(['build', 'cases', '--out', 'out', '--dask', 'tcp://127.0.0.1:8786']))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "pip install 'caseletter[dask]'" in " ".join(done.stderr.split())

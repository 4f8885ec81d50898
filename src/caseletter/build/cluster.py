"""A class built on a Dask cluster: the cases that need a build go to its workers, the rest stays here.

``caseletter build FOLDER --dask tcp://HOST:8786`` does everything a local class build does
before a case is built (`classbuild.answer_without_building`: clashing names refused, unchanged
letters and remembered failures answered from what earlier builds recorded) and after (the
summary and the roster, written once, here). Only the cases left are sent, each as the bytes of
its inputs (`build.shipping`); a worker builds it on a kernel it keeps warm
(`build.clusterworker`) and sends the built folder back, and this process publishes it whole,
with its manifest (or its failure's record) stated in this machine's paths and hashed from the
very bytes that were sent, so the next build here answers it from the cache.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from caseletter.build.cache import MANIFEST, inputs_hash, lookups, relative_names
from caseletter.build.classbuild import CaseOutcome
from caseletter.build.clusterconnect import connected, describe
from caseletter.build.failures import FAILURE
from caseletter.build.options import BuildOptions, BuildResult
from caseletter.build.publish import BUILD_LOG, FAILED
from caseletter.build.shipping import CaseBundle, pack_case
from caseletter.errors import CaseletterError

BINARY = ("letter.docx", "letter.pdf")


@contextlib.contextmanager
def cluster_at(address: str) -> Iterator[ClusterBuilder]:
    """A builder on the Dask cluster at `address`, connected at its first case; closed after.

    A class whose every case is answered from what earlier builds recorded needs no cluster,
    and does not wait for one.
    """
    builder = ClusterBuilder(address)
    try:
        yield builder
    finally:
        builder.close()


class ClusterBuilder:
    """Builds the pending cases of a class on the cluster's workers (a `classbuild.RunCases`)."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.client: Any = None

    def close(self) -> None:
        """Disconnect from the cluster (its workers keep their kernels warm for the next build)."""
        if self.client is not None:
            self.client.close()
            self.client = None

    def __call__(self, cases: list[Path], opts: BuildOptions, on_done=None) -> dict[Path, CaseOutcome]:
        """Send every case, then publish each as it comes back; a failing case is reported, never raised.

        Raises:
            ClusterError: the cluster cannot build (see `connected`); nothing was sent.
        """
        if self.client is None:
            self.client = connected(self.address)
        outcomes: dict[Path, CaseOutcome] = {}
        sent: dict[Any, CaseBundle] = {}
        for case in cases:
            try:
                bundle = packed(case, opts)
            except CaseletterError as exc:  # unreadable, or another case's folder: said as a local build says it
                done(outcomes, CaseOutcome(case, "failed", 0.0, error=exc.message, shareable=exc.shareable), on_done)
                continue
            sent[self.submit(bundle, opts)] = bundle
        self.collect(sent, opts, outcomes, on_done)
        return outcomes

    def collect(self, sent: dict[Any, CaseBundle], opts: BuildOptions, outcomes: dict, on_done) -> None:
        """Publish each case as its worker answers, in the order they finish."""
        from distributed import as_completed

        try:
            for future in as_completed(list(sent), loop=self.client.loop):
                done(outcomes, received(future, sent[future], opts), on_done)
        except KeyboardInterrupt:  # letters not yet back are never published: build/ stays whole
            self.client.cancel(list(sent))
            raise

    def submit(self, bundle: CaseBundle, opts: BuildOptions) -> Any:
        """One case's task: a build on whichever worker is free, never answered from Dask's own cache."""
        from caseletter.build.clusterworker import build_on_worker

        key = f"caseletter-{bundle.case_path.stem}-{uuid.uuid4().hex[:12]}"
        return self.client.submit(build_on_worker, bundle.wire(opts), key=key, pure=False)


def packed(case: Path, opts: BuildOptions) -> CaseBundle:
    """The case's inputs, once the case is known not to write over another case's letter."""
    from caseletter.build.recipe import refuse_another_cases_folder

    refuse_another_cases_folder(opts.out_dir(case), case)
    return pack_case(case, opts)


def done(outcomes: dict[Path, CaseOutcome], outcome: CaseOutcome, on_done) -> None:
    """Record one case's outcome and tell the progress bar."""
    outcomes[outcome.case_path] = outcome
    if on_done:
        on_done(outcome)


def received(future: Any, bundle: CaseBundle, opts: BuildOptions) -> CaseOutcome:
    """Publish what the worker built (or its failure's record) and say how the case went."""
    case = bundle.case_path
    try:
        answer = in_client_paths(future.result(), bundle.root)
    except Exception as exc:  # the worker died, or the cluster went away
        return CaseOutcome(
            case, "failed", 0.0,
            error=f"{case}: the cluster's worker stopped while building it ({describe(exc)}). Build again; if it "
            "happens every time, build it without --dask and report what it says.",
        )
    try:
        publish_answer(answer, bundle, opts)
    except CaseletterError as exc:
        return CaseOutcome(case, "failed", answer["seconds"], error=exc.message, shareable=exc.shareable)
    return outcome_of(answer, bundle, opts)


def in_client_paths(answer: dict[str, Any], root: Path) -> dict[str, Any]:
    """The worker's answer with its copy's folder written as the client's own: no worker path reaches a file."""
    theirs, mine = answer["root"], str(root)

    def mapped(text: str) -> str:
        return text.replace(theirs, mine)

    answer["error"], answer["shareable"] = mapped(answer["error"]), mapped(answer["shareable"])
    answer["result"]["log"] = [mapped(line) for line in answer["result"].get("log", [])]
    for name, data in answer["files"].items():
        if Path(name).name not in BINARY:
            with contextlib.suppress(UnicodeDecodeError):
                answer["files"][name] = mapped(data.decode("utf-8")).encode("utf-8")
    return answer


def publish_answer(answer: dict[str, Any], bundle: CaseBundle, opts: BuildOptions) -> None:
    """A good build's folder published whole; a failure's log line and record kept as a local failure keeps them."""
    out_dir = opts.out_dir(bundle.case_path)
    files = with_client_records(answer["files"], bundle, opts, out_dir)
    if answer["status"] == "built":
        publish_built(files, out_dir, opts.formats)
    else:
        keep_failure(files, out_dir)


def with_client_records(files: dict[str, bytes], bundle: CaseBundle, opts: BuildOptions,
                        out_dir: Path) -> dict[str, bytes]:
    """The manifest and the failure's record naming this machine's inputs, hashed from the bytes sent.

    The worker hashed its own copy and its own kit's files; the next build here compares
    against this machine's, so the record must be stated in them.
    """
    for name in (MANIFEST, f"{FAILED}/{FAILURE}"):
        if name in files:
            record = json.loads(files[name])
            record["files"], record["inputs"] = client_digest(bundle, opts, out_dir, str(record.get("journal", "")))
            files[name] = json.dumps(record, indent=2, sort_keys=True).encode("utf-8")
    return files


def client_digest(bundle: CaseBundle, opts: BuildOptions, out_dir: Path, journal: str) -> tuple[list[str], str]:
    """The inputs' names relative to the letter's folder, and their hash as a local build takes it."""
    names = relative_names(bundle.inputs, out_dir)
    options = {**opts.cache_key(), "lookups": lookups(bundle.case_path, journal, out_dir)}
    known = {relative_names([path], out_dir)[0]: digest for path, digest in bundle.hashes.items()}
    return names, inputs_hash(out_dir, names, options, known)


def publish_built(files: dict[str, bytes], out_dir: Path, formats: tuple[str, ...]) -> None:
    """Move the built files into the case's folder whole (`publish.publish`), as a local build does."""
    from caseletter.build.publish import publish, staging_folder, write_file

    with staging_folder(out_dir) as staging:
        for name, data in files.items():
            if "/" not in name:  # a good build leaves no failed/ behind
                write_file(staging / name, data)
        publish(staging, out_dir, formats)


def keep_failure(files: dict[str, bytes], out_dir: Path) -> None:
    """The failure's line added to build.log, and failed/ written file by file, each whole.

    As locally, a disk that refuses only costs the memory of the failure: the message still
    reaches the summary.
    """
    from caseletter.build.publish import write_whole

    with contextlib.suppress(OSError):
        if BUILD_LOG in files:
            out_dir.mkdir(parents=True, exist_ok=True)
            with open(out_dir / BUILD_LOG, "ab") as log:
                log.write(files[BUILD_LOG])
        for name, data in files.items():
            if name.startswith(f"{FAILED}/"):
                write_whole(out_dir / FAILED, name.split("/", 1)[1], data.decode("utf-8"))


def outcome_of(answer: dict[str, Any], bundle: CaseBundle, opts: BuildOptions) -> CaseOutcome:
    """The case's row of the summary, with this machine's paths."""
    case, out_dir = bundle.case_path, opts.out_dir(bundle.case_path)
    if answer["status"] != "built":
        return CaseOutcome(case, answer["status"], answer["seconds"], error=answer["error"],
                           shareable=answer["shareable"], worker=answer["worker"])
    counts = answer["result"]
    result = BuildResult(
        case, out_dir, files={fmt: out_dir / f"letter.{fmt}" for fmt in opts.formats}, timings=counts["timings"],
        log=counts["log"], words=counts["words"], references=counts["references"], findings=counts["findings"],
        inputs=bundle.inputs, journal=counts["journal"],
    )
    return CaseOutcome(case, "built", answer["seconds"], result, worker=answer["worker"])

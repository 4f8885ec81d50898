"""The ``caseletter`` command: a thin layer over the library.

It parses arguments, calls one library function per command, hands the result to
`cli.show` to print, and turns the kit's errors into one paragraph on stderr with exit status
2. Imports happen inside each command, so ``caseletter --help`` starts without loading
Jupyter, pydantic or pandoc.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from pathlib import Path

EXIT_BAD_INPUT = 2
EXIT_CASES_FAILED = 1  # a class built, with the cases that failed listed in its index


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    skip_slow_format_checkers()
    parser = build_parser()
    args = parse_arguments(parser, sys.argv[1:] if argv is None else list(argv))
    if not getattr(args, "run", None):
        parser.print_help()
        return EXIT_BAD_INPUT
    from caseletter.cli.show import print_error
    from caseletter.errors import CaseletterError

    previous = stop_on_sigterm()
    try:
        return args.run(args)
    except CaseletterError as exc:
        print_error(exc.message)
        return exc.exit_status
    except KeyboardInterrupt:
        print_error("Interrupted. Letters already built are complete; the one in progress was not written.")
        return 130
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def parse_arguments(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    """The command's arguments, options allowed anywhere (``refs FILE --style ama KEY1 KEY2``).

    argparse stops taking positionals at the first option unless asked to intermix them, which it
    cannot do across subcommands; so the command is found first and its own parser reads the rest.
    """
    args, _ = parser.parse_known_args(argv)
    command = getattr(args, "command_parser", None)
    if command is None:
        return parser.parse_args(argv)
    name = command.prog.split()[-1]
    rest = argv[argv.index(name) + 1:]
    parsed = command.parse_intermixed_args(rest)
    parsed.command_parser = command
    return parsed


def stop_on_sigterm() -> object:
    """Treat SIGTERM like Ctrl-C: stop the build's kernels, keep every letter whole, say so.

    Without this, a terminated build would leave its kernels running and no word in the log.
    Returns the handler it replaced (None off the main thread, where none can be set).
    """

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, interrupt)


def skip_slow_format_checkers() -> None:
    """Keep jsonschema from loading rfc3987-syntax, which builds dozens of parsers at import.

    nbformat imports jsonschema; where the `jupyter` stack pulled in ``jsonschema[format-nongpl]``,
    that import alone costs seconds (python-jsonschema/jsonschema#1428). The IRI formats it would
    check appear in no notebook schema, so the kit tells Python the module is absent.
    """
    sys.modules.setdefault("rfc3987_syntax", None)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command and its help."""
    parser = argparse.ArgumentParser(
        prog="caseletter", description="Write a journal-ready clinical case letter from one case file."
    )
    parser.add_argument("--version", action="version", version=f"caseletter {_version()}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for add in (
        add_init, add_teach, add_build, add_check, add_pack, add_preview, add_new, add_journals, add_refs,
        add_schema, add_dosing, add_deid,
    ):
        add(commands)
    for command in commands.choices.values():
        command.set_defaults(command_parser=command)
    return parser


def _version() -> str:
    from caseletter import __version__

    return __version__


def add_init(commands) -> None:
    """``caseletter init``."""
    p = commands.add_parser(
        "init", help="make a workspace: cases/, references.bib, journals/, a README and a .gitignore",
        description="Make FOLDER a caseletter workspace: cases/ for case files, references.bib, journals/ for your "
        "own journal styles, a README with the commands that matter and a .gitignore for build/. Run every other "
        "command from there. Nothing that exists is overwritten.",
    )
    p.add_argument("folder", type=Path, metavar="FOLDER", help="the workspace folder (made if missing)")
    p.add_argument("--example", action="store_true", help="add the kit's example case, its figures and references")
    p.add_argument(
        "--workshop", action="store_true",
        help="a workshop instead: FOLDER/students (to hand out: the lessons' student edition, the example, one case "
        "skeleton per student) and FOLDER/educator (the lessons with solutions, grading and session notes)",
    )
    p.add_argument("--students", type=int, default=10, metavar="N",
                   help="with --workshop: how many student case skeletons (default: 10)")
    p.set_defaults(run=run_init)


def run_init(args: argparse.Namespace) -> int:
    """Lay out the workspace and say what was made and what was kept."""
    from caseletter.case.workspace import init_workspace

    if args.workshop:
        from caseletter.teaching import init_workshop

        workspace = init_workshop(args.folder, args.students)
        report_created(workspace)
        print(f"Next: hand out {args.folder / 'students'} (see {args.folder / 'README.md'}); "
              f"the solutions are in {args.folder / 'educator'}.")
        return 0
    workspace = init_workspace(args.folder, args.example)
    report_created(workspace)
    example = " caseletter build cases/sts-calcinosis.yaml, or" if args.example else ""
    print(f"Next: cd {args.folder}, then{example} caseletter new NAME (see README.md).")
    return 0


def report_created(workspace) -> None:
    """One line per file or folder made, and one per file found and kept."""
    for path in workspace.created:
        print(f"created {path}{'/' if path.is_dir() else ''}")
    for path in workspace.kept:
        print(f"kept    {path} (it exists; left as it was)")


def add_teach(commands) -> None:
    """``caseletter teach``."""
    p = commands.add_parser(
        "teach", help="write the lessons' student edition (no solutions) and educator's edition (with them)",
        description="Write the kit's lessons (tutorial.ipynb, writing.ipynb) twice: OUT/student/ without solutions or "
        "hidden tests, to hand out; OUT/educator/ with the worked solutions and nbgrader's solution and test markers, "
        "with nbgrader_config.py and GRADING.md. Files of the same name in OUT are replaced.",
    )
    p.add_argument("out", type=Path, metavar="OUT", help="the folder to write student/ and educator/ into")
    p.add_argument("--edition", choices=("both", "student", "educator"), default="both", help="which (default: both)")
    p.set_defaults(run=run_teach)


def run_teach(args: argparse.Namespace) -> int:
    """Write the editions and list their files."""
    from caseletter.errors import CaseletterError
    from caseletter.teaching import write_editions

    try:
        written = write_editions(args.out, args.edition != "educator", args.edition != "student")
    except OSError as exc:
        raise CaseletterError(str(args.out), f"the lessons cannot be written there ({exc.strerror})",
                              "Give a folder you can write to.") from None
    for path in written.student + written.educator:
        print(f"wrote {path}")
    return 0


def add_build(commands) -> None:
    """``caseletter build``."""
    p = commands.add_parser(
        "build", help="build letters (HTML, DOCX, PDF) from case files or folders of them",
        description="Build each case's letter into OUT/<case name>/: letter.html, letter.docx, letter.pdf, "
        "the executed letter.ipynb, check.html and build.log. Several cases (or a folder) build in parallel, "
        "with a summary and OUT/index.html. A case whose inputs did not change is not rebuilt. "
        "Exit status: 0 when every letter was built; 1 when cases of a class failed (the summary and the index "
        "say why); 2 when one case given alone fails or the command's arguments are wrong.",
    )
    p.add_argument("cases", nargs="+", type=Path, metavar="CASE", help="case files (YAML), or folders of them")
    p.add_argument("--to", default="html,docx,pdf", help="formats, comma-separated (default: html,docx,pdf)")
    p.add_argument("--out", type=Path, default=Path("build"), help="output folder (default: build)")
    p.add_argument("--journal", help="use this journal style instead of the case's own")
    p.add_argument("-j", "--jobs", type=int, default=None, help="parallel workers (default: one per core)")
    p.add_argument("--force", action="store_true", help="rebuild even when nothing changed")
    p.add_argument(
        "--allow-identifiers", action="store_true",
        help="export even though the check found patient identifiers (recorded in build.log)",
    )
    p.add_argument("--timeout", type=float, default=300, help="seconds a notebook cell may run (default: 300)")
    p.add_argument("--notebook", type=Path, help="a variant of the letter notebook to run instead of the kit's own")
    p.add_argument(
        "--dask", metavar="ADDRESS",
        help="build on the workers of a running Dask cluster (tcp://HOST:8786) instead of this machine's cores; "
        "the case files, figures and references are sent to the workers, which need pip install 'caseletter[dask]' "
        "(the same version) but not this folder",
    )
    p.set_defaults(run=run_build)


def run_build(args: argparse.Namespace) -> int:
    """Build the cases; one case prints its files, a class prints a summary table."""
    import caseletter.cli.show as show
    from caseletter.build.classbuild import build_class, expand_cases
    from caseletter.build.options import BuildOptions, check_formats
    from caseletter.errors import CaseletterError

    formats = tuple(f.strip() for f in args.to.split(",") if f.strip())
    check_formats(formats)
    if args.jobs is not None and args.jobs < 1:
        raise CaseletterError("-j/--jobs", f"{args.jobs} workers is not a number of workers", "Give 1 or more.")
    if not args.timeout > 0:
        raise CaseletterError(
            "--timeout", f"{args.timeout:g} seconds is no time for a cell to run", "Give a number of seconds, e.g. 300."
        )
    cases = expand_cases(args.cases)
    opts = BuildOptions(
        args.out, formats, args.journal, args.allow_identifiers, args.force, args.timeout, args.notebook
    )
    with case_builder(args.dask) as run_cases:
        if len(cases) == 1:
            (outcome,) = build_class(cases, opts, 1, run_cases=run_cases)
            if outcome.status == "failed":
                show.print_error(outcome.error)
                return EXIT_BAD_INPUT
            show.print_build_result(outcome)
            return 0
        return build_whole_class(cases, opts, args.jobs, run_cases)


@contextlib.contextmanager
def case_builder(dask_address: str | None):
    """Who builds the cases that need it: None for this machine's pool, or the Dask cluster's workers."""
    if dask_address is None:
        yield None
        return
    from caseletter.build.cluster import cluster_at

    with cluster_at(dask_address) as cluster:
        yield cluster


def build_whole_class(cases: list[Path], opts: object, jobs: int | None, run_cases=None) -> int:
    """Many cases: a progress bar while they build, then the summary and the index page."""
    import caseletter.cli.show as show
    from caseletter.build.classbuild import build_class
    from caseletter.build.index import write_index

    with show.class_progress(len(cases)) as on_done:
        outcomes = build_class(cases, opts, jobs, on_done=on_done, run_cases=run_cases)
    show.print_class_summary(outcomes, show.console())
    workers = sorted({o.worker for o in outcomes if o.worker})
    if workers:
        print(f"cluster: {sum(bool(o.worker) for o in outcomes)} case(s) built on {len(workers)} worker(s) of "
              f"{run_cases.address}: {', '.join(workers)}")
    print(f"index: {write_index(outcomes, opts.out_root)}")
    return EXIT_CASES_FAILED if any(o.status == "failed" for o in outcomes) else 0


def add_check(commands) -> None:
    """``caseletter check``."""
    p = commands.add_parser(
        "check", help="check a case: CARE items, journal limits, citations, identifiers",
        description="Check a case before export: the CARE checklist items, the journal's word, reference and figure "
        "limits, citation integrity, dosing, and patient identifiers. "
        "Exit status 1 when an error is found, 0 otherwise.",
    )
    p.add_argument("case", type=Path, metavar="CASE", help="case file (YAML)")
    p.add_argument("--journal", help="check against this journal style instead of the case's own")
    p.add_argument("--json", action="store_true", help="print the findings as JSON")
    p.set_defaults(run=run_check)


def run_check(args: argparse.Namespace) -> int:
    """Print the check report; 1 when any finding is an error, else 0."""
    import caseletter.cli.show as show
    from caseletter.checks.run import run_checks

    report = run_checks(args.case, args.journal)
    if args.json:
        show.print_json(report.to_json(), show.console())
    else:
        show.print_check_report(report, show.console())
    return 1 if report.has_errors else 0


def add_pack(commands) -> None:
    """``caseletter pack``."""
    p = commands.add_parser(
        "pack", help="pack a case's submission: manuscript, title page, cover letter, CARE checklist, figures, JATS",
        description="Write what the journal's submission system asks for into OUT/<case>/submission/ and "
        "OUT/<case>/<case>-submission.zip: manuscript.docx in submission layout (blinded when the journal asks, double-"
        "spaced, line and page numbers, tables and figure legends at the end), title-page.docx, cover-letter.docx "
        "(with the novelty claim left for you to write), care-checklist.docx, each figure as its own file to the "
        "journal's specification, article.xml (JATS 1.3, validated) and manifest.json (SHA-256 of each file). "
        "Refused while the check has errors, placeholders or identifiers. Exit status 0, or 2 with what to fix.",
    )
    p.add_argument("case", type=Path, metavar="CASE", help="case file (YAML)")
    p.add_argument("--journal", help="pack for this journal instead of the case's own")
    p.add_argument("--out", type=Path, default=Path("build"), help="output folder (default: build)")
    p.set_defaults(run=run_pack)


def run_pack(args: argparse.Namespace) -> int:
    """Pack the submission and list its files, with anything the author should still look at."""
    import caseletter.cli.show as show
    from caseletter.submission.pack import pack_case

    show.print_pack_result(pack_case(args.case, args.journal, args.out), show.console())
    return 0


def add_preview(commands) -> None:
    """``caseletter preview``."""
    p = commands.add_parser(
        "preview", help="show the letter in the browser, rebuilt on every save, with the check beside it",
        description="Serve the HTML letter on 127.0.0.1 and rebuild it, in a kernel kept warm, whenever the case "
        "file, its figures, its .bib files or its journal style are saved; the page refreshes itself and keeps its "
        "place. Nothing in build/ is touched. Ctrl-C stops it.",
    )
    p.add_argument(
        "case", type=Path, metavar="CASE", nargs="?", help="case file (YAML; default: the one saved last in cases/)"
    )
    p.add_argument("--journal", help="use this journal style instead of the case's own")
    p.add_argument("--port", type=int, default=0, help="port to listen on (default: a free one)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--no-browser", dest="browser", action="store_false", help="do not open a browser")
    p.add_argument(
        "--behind-proxy", action="store_true",
        help="accept requests forwarded by a proxy such as JupyterHub's jupyter-server-proxy, whatever their Host",
    )
    p.add_argument("--timeout", type=float, default=300, help="seconds a notebook cell may run (default: 300)")
    p.set_defaults(run=run_preview)


def run_preview(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C; 0 when stopped that way."""
    from caseletter.preview import latest_case
    from caseletter.preview import run_preview as serve

    try:
        case = args.case or latest_case(Path("cases"))
        serve(case, args.journal, args.host, args.port, args.browser, args.behind_proxy, args.timeout)
    except KeyboardInterrupt:
        pass
    print("Preview stopped.")
    return 0


def add_new(commands) -> None:
    """``caseletter new``."""
    p = commands.add_parser(
        "new", help="start a new case file from a commented template",
        description="Create cases/NAME.yaml from a commented template (every field explained) and a figures folder "
        "cases/figures/NAME/. Nothing that exists is overwritten.",
    )
    p.add_argument("name", metavar="NAME", help="the case's name: letters, digits, - and _")
    p.add_argument("--cases", type=Path, default=Path("cases"), help="the cases folder (default: cases)")
    p.set_defaults(run=run_new)


def run_new(args: argparse.Namespace) -> int:
    """Scaffold the case and say what was made."""
    from caseletter.case.scaffold import scaffold_case

    for path in scaffold_case(args.name, args.cases):
        print(f"created {path}")
    return 0


def add_journals(commands) -> None:
    """``caseletter journals``."""
    p = commands.add_parser(
        "journals", help="find a journal: its style name for `journal:`, its ISSN, whether its limits are known",
        description="List the journals whose title, style name or ISSN holds every WORD: the kit's journal profiles "
        "(whose word, reference and figure limits the check uses) and the Citation Style Language's styles (about "
        "10,800, offline). Write the first column in a case's `journal:`. No WORD lists the profiles.",
    )
    p.add_argument("words", nargs="*", metavar="WORD", help="words of the journal's title, or its ISSN")
    p.set_defaults(run=run_journals)


def run_journals(args: argparse.Namespace) -> int:
    """Print the matching journals; 1 when none matches."""
    import caseletter.cli.show as show
    from caseletter.journals import list_journals

    choices = list_journals(args.words, Path("cases") / "any.yaml")
    show.print_journals(choices, args.words, show.console())
    return 0 if choices else 1


def add_refs(commands) -> None:
    """``caseletter refs``."""
    p = commands.add_parser(
        "refs", help="print numbered references from a reference file (.bib, CSL-JSON, RIS, PubMed .nbib)",
        description="Print the references of a file as numbered plain text, one per line ('N. text'), in the order "
        "the keys are given (no KEY: every entry, in file order). The file is BibTeX (.bib), CSL-JSON (.json, as "
        "Zotero and Mendeley export it), RIS (.ris, EndNote and most databases) or PubMed's MEDLINE (.nbib).",
    )
    p.add_argument("bib", type=Path, metavar="FILE", help="the reference file")
    p.add_argument("keys", nargs="*", metavar="KEY", help="citation keys, in the order to number them")
    p.add_argument("--style", default="ama", help="journal style (default: ama)")
    p.add_argument("--keys", dest="show_keys", action="store_true", help="start each line with the key to cite")
    p.set_defaults(run=run_refs)


def run_refs(args: argparse.Namespace) -> int:
    """Print the formatted references."""
    from caseletter.journals import load_journal
    from caseletter.references.citeproc import format_reference_lines

    journal = load_journal(args.style)
    for line in format_reference_lines([args.bib], journal.csl, args.keys or None, args.show_keys):
        print(line)
    return 0


def add_schema(commands) -> None:
    """``caseletter schema``."""
    p = commands.add_parser(
        "schema", help="print the case file's JSON Schema",
        description="Print the JSON Schema of a case file, for editors' autocompletion and validation.",
    )
    p.set_defaults(run=run_schema)


def run_schema(args: argparse.Namespace) -> int:
    """Print the schema as indented JSON."""
    import json

    from caseletter.case.model import Case

    schema = Case.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "caseletter case file"
    print(json.dumps(schema, indent=2))
    return 0


def add_dosing(commands) -> None:
    """``caseletter dosing``."""
    p = commands.add_parser(
        "dosing", help="print a case's regimen table with computed doses",
        description="Print the case's regimens and the cited literature regimens with administrations, "
        "cumulative dose, dose per week and infusion rate.",
    )
    p.add_argument("case", type=Path, metavar="CASE", nargs="?", help="case file (YAML)")
    p.add_argument("--json", action="store_true", help="print the computed figures as JSON (shape: see --schema)")
    p.add_argument("--schema", action="store_true", help="print the JSON Schema of --json's output, and stop")
    p.set_defaults(run=run_dosing)


def run_dosing(args: argparse.Namespace) -> int:
    """Print the dosing table or its JSON."""
    import caseletter.cli.show as show
    from caseletter.case.source import read_case_source
    from caseletter.dosing.compute import compute_case_dosing
    from caseletter.dosing.json_report import report_to_json
    from caseletter.errors import CaseletterError

    if args.schema:
        from caseletter.dosing.schema import DOSING_JSON_SCHEMA

        show.print_json(DOSING_JSON_SCHEMA, show.console())
        return 0
    if args.case is None:
        raise CaseletterError("caseletter dosing", "no case file given", "Give one: caseletter dosing CASE.yaml.")
    source = read_case_source(args.case)
    report = compute_case_dosing(source)
    if args.json:
        show.print_json(report_to_json(report), show.console())
    else:
        show.print_dosing_report(report, show.console())
    return 0


def add_deid(commands) -> None:
    """``caseletter deid``."""
    p = commands.add_parser(
        "deid", help="find patient identifiers in text, Markdown, YAML or DOCX files",
        description="Scan files for HIPAA Safe Harbor identifiers. "
        "Exit status: 1 when any is found, 0 when none, 2 on bad input.",
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="files to scan")
    p.add_argument("--json", action="store_true", help="one JSON object per finding per line")
    p.set_defaults(run=run_deid)


def run_deid(args: argparse.Namespace) -> int:
    """Scan the files and report what was found; 1 when any identifier was found, else 0."""
    import caseletter.cli.show as show
    from caseletter.deid.files import scan_files

    results = scan_files(args.files)
    show.print_identifiers(results, args.json, show.console())
    return 1 if any(findings for _, _, findings in results) else 0



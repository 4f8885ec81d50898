"""Starting a new case: ``caseletter new NAME`` copies the commented case template.

The template (``templates/case/new-case.yaml``) explains every field in a comment, with an
example from the kit's example case, and holds placeholder values that load and build as they
stand, so a trainee can build after every edit. Beside the case file goes its figures folder,
``cases/figures/NAME/``, the folder the template's figure paths point into.

Nothing that exists is ever overwritten: the case file is opened in exclusive-create mode, so
even a file that appears between the check and the write is left alone.
"""

from __future__ import annotations

import re
from pathlib import Path

from caseletter.errors import BadCaseName, CaseExists, CaseletterError, cut
from caseletter.paths import templates_dir

NAME_PATTERN = re.compile(r"^[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*$")
MAX_NAME_LENGTH = 64
# Names Windows refuses as file names, whatever the extension.
RESERVED_NAMES = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
PLACEHOLDER = "__NAME__"


def scaffold_case(name: str, cases_dir: Path = Path("cases")) -> list[Path]:
    """Create ``cases_dir/NAME.yaml`` from the commented template, and its figures folder.

    Args:
        name: the case's short name, e.g. "jones-calcinosis"; it names the YAML file, the
            figures folder and the build folder.
        cases_dir: the folder that holds case files.

    Returns:
        The paths created, case file first (an existing figures folder is kept, not listed).

    Raises:
        BadCaseName: the name is empty, too long, or has characters other than letters,
            digits and single hyphens or underscores between them.
        CaseExists: the case file exists already; it is left untouched.
    """
    check_case_name(name)
    case_path = Path(cases_dir) / f"{name}.yaml"
    if case_path.exists():
        raise CaseExists(
            str(case_path),
            "the case file already exists and was left as it is",
            "Choose another name, or edit the existing file.",
        )
    make_folder(case_path.parent)
    write_new_file(case_path, fill_template(name))
    created = [case_path]
    figures = figures_folder(name, cases_dir)
    if not figures.exists():
        make_folder(figures)
        created.append(figures)
    return created


def make_folder(folder: Path) -> None:
    """Make a folder (and its parents), or say in one message why it cannot be made."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        blocker = next((p for p in [folder, *folder.parents] if p.exists() and not p.is_dir()), folder)
        raise CaseletterError(
            str(folder), f"cannot be a folder: {blocker} is a file", "Give --cases a folder (it is made if missing)."
        ) from None
    except OSError as exc:
        raise CaseletterError(
            str(folder), f"the folder cannot be made ({exc.strerror})",
            "Check its permissions, or give another --cases.",
        ) from None


def check_case_name(name: str) -> None:
    """Refuse a name that would be unsafe or awkward as a file name on any system."""
    todo = "Use letters, digits and hyphens, e.g. `caseletter new jones-calcinosis`."
    if name.lower().endswith((".yaml", ".yml")):
        raise BadCaseName(
            f'case name "{name}"',
            "the name should not carry the .yaml extension",
            f"Give it without, e.g. `caseletter new {Path(name).stem}`.",
        )
    if not name:
        raise BadCaseName("case name", "the name is empty", todo)
    if len(name) > MAX_NAME_LENGTH:
        raise BadCaseName(
            f'case name "{cut(name, 23)}"', f"the name is longer than {MAX_NAME_LENGTH} characters", "Use a short name."
        )
    if not NAME_PATTERN.match(name):
        raise BadCaseName(
            f'case name "{name}"',
            "only letters, digits, and single hyphens or underscores between them can make a case name "
            "(no spaces, slashes or dots)",
            todo,
        )
    if name.lower() in RESERVED_NAMES:
        raise BadCaseName(
            f'case name "{name}"',
            "the name is reserved for devices on Windows",
            "Add a word to it, e.g. " + f"`caseletter new {name}-case`.",
        )


def fill_template(name: str) -> str:
    """The template's text with the case's name in its paths and build instructions."""
    template = templates_dir() / "case" / "new-case.yaml"
    if not template.is_file():
        raise CaseletterError(
            str(template),
            "the case template is missing",
            "Reinstall caseletter, or set CASELETTER_TEMPLATES to a folder that holds case/new-case.yaml.",
        )
    return template.read_text(encoding="utf-8").replace(PLACEHOLDER, name)


def write_new_file(path: Path, text: str) -> None:
    """Write a file that must not exist yet; a file created meanwhile is never overwritten."""
    try:
        with path.open("x", encoding="utf-8", newline="\n") as out:
            out.write(text)
    except FileExistsError:
        raise CaseExists(
            str(path),
            "the case file already exists and was left as it is",
            "Choose another name, or edit the existing file.",
        ) from None


def figures_folder(name: str, cases_dir: Path = Path("cases")) -> Path:
    """Where a case's images go: ``cases/figures/NAME/``, named relative to the case file."""
    return Path(cases_dir) / "figures" / name

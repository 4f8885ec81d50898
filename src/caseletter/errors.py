"""The kit's errors: one base class, one subclass per kind of failure, all in this module.

Every message has three parts, so that a trainee can act on it without reading code:
where it failed (file and field, or file and line), why, and what to do. The CLI prints
the message as one paragraph and exits with status 2; it never shows a traceback.

Keeping every class here lets any stage recognise any other stage's error by name (an error
raised inside the notebook's kernel comes back only as its class name and message) without
importing that stage.
"""

from __future__ import annotations

from typing import Any


def cut(text: str, limit: int) -> str:
    """Text cut to `limit` characters for a message: an error names a value, it never dumps it."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


class CaseletterError(Exception):
    """Base of every error the kit reports to a user."""

    exit_status = 2

    def __init__(self, where: str, why: str, todo: str = "") -> None:
        self.where = where
        self.why = why
        self.todo = todo
        super().__init__(self.message)

    @classmethod
    def from_message(cls, message: str) -> CaseletterError:
        """Rebuild an error from a message already formed (one raised inside the kernel)."""
        error = cls("", message)
        error.where = ""
        return error

    @property
    def shareable(self) -> str:
        """The message as it may appear where others read it (a class index, a build log).

        The same as `message`, except where the message quotes what must not be shared.
        """
        return self.__dict__.get("_shareable") or self.message

    @property
    def message(self) -> str:
        """The one-paragraph message: where, why, what to do."""
        if not self.where:
            return self.why
        parts = [f"{self.where}: {self.why}".strip()]
        if self.todo:
            parts.append(self.todo)
        return " ".join(p if p.endswith((".", "?", "!")) else p + "." for p in parts)


# --- the case file ------------------------------------------------------------------------


class CaseFileError(CaseletterError):
    """The case file cannot be read or does not fit the schema."""


class BadYAML(CaseFileError):
    """The case file is not valid YAML (reported with line and column)."""


class SchemaViolation(CaseFileError):
    """A field of the case file has the wrong type or a missing value."""


class BadCaseName(CaseletterError):
    """The name given to ``caseletter new`` cannot be used as a case file's name."""


class CaseExists(CaseletterError):
    """``caseletter new`` was asked for a case whose file already exists."""


# --- references and journals --------------------------------------------------------------


class BibliographyError(CaseletterError):
    """A .bib file cannot be read, or an entry in it is malformed (``entry_key`` names it, if known)."""

    entry_key: str = ""


class UnknownCitationKey(CaseletterError):
    """A narrative field cites a key that no .bib file holds."""


class UnknownStyle(CaseletterError):
    """The journal style named by a case or on the command line does not exist."""


# --- dosing -------------------------------------------------------------------------------


class DosingError(CaseletterError):
    """A regimen's dose, frequency or duration cannot be understood."""


class BadDoseUnit(DosingError):
    """A dose that is not a mass, a mass per kilogram or a mass per square metre."""


class BadFrequency(DosingError):
    """A frequency that does not say how many administrations per period."""


class BadDuration(DosingError):
    """A phase's duration that is missing or not a length of time."""


class BadTime(DosingError):
    """A relative time (timeline event, regimen start, infusion time) that cannot be read."""


class MissingBodySize(DosingError):
    """A weight- or surface-based dose for a patient whose weight or height is not given."""


# --- identifiers and figures --------------------------------------------------------------


class FigureError(CaseletterError):
    """A figure file is missing, outside the case folder, or not an image."""


class ScanInputError(CaseletterError):
    """A file given to ``caseletter deid`` cannot be read as text."""


class IdentifiersFound(CaseletterError):
    """The case's text or figures hold patient identifiers; the build refuses to export them."""

    @classmethod
    def from_findings(cls, case_path: Any, findings: list[Any]) -> IdentifiersFound:
        """One message listing the first few identifiers found, with where they are."""
        shown = "; ".join(f'{f.field}: "{f.text}"' for f in findings[:3])
        more = f" and {len(findings) - 3} more" if len(findings) > 3 else ""
        error = cls(
            str(case_path),
            f"{len(findings)} possible patient identifier(s) found ({shown}{more})",
            "Rewrite them (see `caseletter check` for what to write instead), "
            "or pass --allow-identifiers if you are sure they may be published.",
        )
        fields = ", ".join(dict.fromkeys(f.field for f in findings))
        error._shareable = (
            f"{case_path}: {len(findings)} possible patient identifier(s) found in {cut(fields, 200)}. "
            f"Run `caseletter check {case_path}` to see them and what to write instead."
        )
        return error


# --- building -----------------------------------------------------------------------------


class ExportError(CaseletterError):
    """pandoc, typst or nbconvert failed to produce an output."""


class ExecutionError(CaseletterError):
    """A cell of the letter notebook raised while it ran.

    ``notebook`` holds the notebook as far as it ran, when there is one, so that the build can
    keep it for the author to inspect.
    """

    notebook: Any = None


class ClusterError(CaseletterError):
    """The Dask cluster given with ``--dask`` cannot build: unreachable, no workers, or no kit on them."""


class SubmissionRefused(CaseletterError):
    """A submission cannot be packed: the check has errors, placeholders or identifiers, or the blinding failed."""


class UnknownExercise(CaseletterError):
    """An answer was given for an exercise the tutorial does not have."""


def error_class_names() -> set[str]:
    """The names of every error class of the kit, to recognise one raised in another process."""

    def names(cls: type) -> set[str]:
        return {cls.__name__}.union(*(names(sub) for sub in cls.__subclasses__()))

    return names(CaseletterError)

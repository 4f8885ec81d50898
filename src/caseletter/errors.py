"""The kit's errors: one base class, one subclass per kind of failure.

Every message has three parts, so that a trainee can act on it without reading code:
where it failed (file and field, or file and line), why, and what to do. The CLI prints
the message as one paragraph and exits with status 2; it never shows a traceback.
"""

from __future__ import annotations


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
    def message(self) -> str:
        """The one-paragraph message: where, why, what to do."""
        if not self.where:
            return self.why
        parts = [f"{self.where}: {self.why}".strip()]
        if self.todo:
            parts.append(self.todo)
        return " ".join(p if p.endswith((".", "?", "!")) else p + "." for p in parts)


class CaseFileError(CaseletterError):
    """The case file cannot be read or does not fit the schema."""


class BadYAML(CaseFileError):
    """The case file is not valid YAML (reported with line and column)."""


class SchemaViolation(CaseFileError):
    """A field of the case file has the wrong type or a missing value."""


class BibliographyError(CaseletterError):
    """A .bib file cannot be read, or an entry in it is malformed."""


class UnknownCitationKey(CaseletterError):
    """A narrative field cites a key that no .bib file holds."""


class UnknownStyle(CaseletterError):
    """The journal style named by a case or on the command line does not exist."""


class FigureError(CaseletterError):
    """A figure file is missing, outside the case folder, or not an image."""


class DosingError(CaseletterError):
    """A regimen's dose, frequency or duration cannot be understood."""


class ExportError(CaseletterError):
    """pandoc, typst or nbconvert failed to produce an output."""


class ExecutionError(CaseletterError):
    """A cell of the letter notebook raised while it ran."""


class IdentifiersFound(CaseletterError):
    """The case's text or figures hold patient identifiers; the build refuses to export them."""

    @classmethod
    def from_report(cls, case_path, findings) -> IdentifiersFound:
        """One message listing the first few identifiers found, with where they are."""
        shown = "; ".join(f'{f.field}: "{f.text}"' for f in findings[:3])
        more = f" and {len(findings) - 3} more" if len(findings) > 3 else ""
        return cls(
            str(case_path),
            f"{len(findings)} possible patient identifier(s) found ({shown}{more})",
            "Rewrite them (see `caseletter check` for what to write instead), or pass --allow-identifiers if you are sure they may be published.",
        )

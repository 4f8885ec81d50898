"""Titles as AMA prints them: sentence case for an article's own title, respecting ``{Braces}``.

A .bib title may be in title case ("Calcinosis Cutis in Autoimmune Disease") or already in
sentence case; braces protect what must keep its capitals ("{DNA}", "{T}-cell"). A title is
lowered only when its words show it was title-cased, and a protected run never is.
"""

from __future__ import annotations

import re
from typing import Any

#: Short words title case leaves in lower case; they do not count as evidence either way.
FUNCTION_WORDS = frozenset(
    "a an the and but or nor for so yet as at by in of off on per to up via vs from into "
    "onto over than that with upon after about among along under until using versus "
    "without within between through during against".split()
)


_MARKUP = re.compile(r"<(i|b|sup|sub)>.*?</\1>", re.S)


def split_protected(text: str) -> list[tuple[str, bool]]:
    """Split a title into (text, protected) runs.

    Protected runs are top-level ``{brace groups}`` and italic/bold markup (species and
    gene names): their capitals are the author's decision, never ours.
    """
    runs: list[tuple[str, bool]] = []
    buf: list[str] = []
    depth, i = 0, 0

    def flush(protected: bool) -> None:
        if buf:
            runs.append(("".join(buf), protected))
            buf.clear()

    while i < len(text):
        ch = text[i]
        markup = _MARKUP.match(text, i) if depth == 0 and ch == "<" else None
        if markup:
            flush(False)
            runs.append((markup.group(0), True))
            i = markup.end()
            continue
        if ch in "{}":
            if depth == 0 and ch == "{":
                flush(False)
            depth = depth + 1 if ch == "{" else max(depth - 1, 0)
            if depth == 0 and ch == "}":
                flush(True)
        else:
            buf.append(ch)
        i += 1
    flush(depth > 0)
    return runs


def looks_title_cased(runs: list[tuple[str, bool]]) -> bool:
    """True when the unprotected words read as Title Case rather than sentence case.

    Only then is conversion safe: a title already in sentence case keeps its capitals,
    which are most likely proper nouns the author forgot to brace.
    """
    capitalized = lower = 0
    for word, first_of_clause in _words(runs):
        if first_of_clause:
            continue
        head = re.split(r"[-/]", word)[0]
        if _is_capitalized(head):
            capitalized += 1
        elif head.isalpha() and head.islower() and len(head) >= 4:
            lower += head not in FUNCTION_WORDS
    return capitalized >= 2 and capitalized >= 3 * lower


def sentence_case(runs: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Lower-case plain Capitalized words except the first of the title or of a sentence.

    Acronyms (DNA), words with inner capitals (mRNA, McDonald), tokens with digits (CO2)
    and single capitals (vitamin D, T-cell) keep their form; the first word after a colon
    is lowered, as AMA prints subtitles.
    """
    out: list[tuple[str, bool]] = []
    starts_sentence, after_colon = True, False
    for text, protected in runs:
        if protected:
            out.append((text, True))
            starts_sentence = starts_sentence and not text.strip()
            after_colon = after_colon and not text.strip()
            continue
        pieces = re.split(r"(\s+)", text)
        for n, piece in enumerate(pieces):
            if not piece or piece.isspace():
                continue
            if after_colon and piece == "A":
                pieces[n] = "a"  # the article, not a single-letter name ("vitamin A")
            elif not starts_sentence:
                pieces[n] = _lower_word(piece)
            starts_sentence = piece.endswith((".", "?", "!")) and not _is_initial(piece)
            after_colon = piece.endswith(":")
        out.append(("".join(pieces), False))
    return out


def title_text(raw: str, sentence: bool) -> str:
    """CSL-JSON rich text for a title: optional sentence case, braces → nocase spans."""
    runs = split_protected(squash_spaces(raw))
    if sentence and looks_title_cased(runs):
        runs = sentence_case(runs)
    return "".join(
        f'<span class="nocase">{text}</span>' if protected and text.strip() else text
        for text, protected in runs
    )


def plain_text(value: Any) -> str:
    """A field's text without BibTeX braces and with single spaces."""
    return squash_spaces(str(value)).replace("{", "").replace("}", "")


def _words(runs: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    words: list[tuple[str, bool]] = []
    clause_start = True
    for text, protected in runs:
        for piece in text.split():
            core = piece.strip("\"'“”‘’()[].,;:!?")
            if not protected and core:
                words.append((core, clause_start))
            clause_start = piece.endswith((":", ".", "?", "!"))
    return words


def _lower_word(word: str) -> str:
    parts = re.split(r"([-/])", word)
    return "".join(_lower_part(p) for p in parts)


def _lower_part(part: str) -> str:
    lead = len(part) - len(part.lstrip("\"'“‘(["))
    core = part[lead:].rstrip("\"'”’)].,;:!?")
    core = core[:-2] if core.endswith(("'s", "’s")) else core
    return part.lower() if _is_capitalized(core) else part


def _is_capitalized(word: str) -> bool:
    return len(word) > 1 and word[0].isupper() and word[1:].isalpha() and word[1:].islower()


def _is_initial(piece: str) -> bool:
    return bool(re.fullmatch(r"[A-Z]\.", piece))


def squash_spaces(text: str) -> str:
    """Runs of whitespace (a .bib value's line breaks) as one space."""
    return re.sub(r"\s+", " ", text).strip()

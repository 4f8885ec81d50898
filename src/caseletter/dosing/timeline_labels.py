"""A regimen's row label as the reader says it: "12.5 g 3×/week", "60 → 20 mg daily, taper".

Built from the case model's Phase fields as the author wrote them (dose, taper_to, frequency),
never from computed figures, so a label reads the same whether or not the dose could be
computed. A dose, frequency or length the source did not report is said to be not reported,
never dropped; a route not reported is left out, since "not reported aspirin" reads as a drug.
A row label is capped at two lines (`fit_label`) so that rows stay short on a phone; the full
regimen is in the figure's alt text.
"""

from __future__ import annotations

import re
import textwrap

from caseletter.case.model import Phase, Regimen
from caseletter.dosing.quantities import NOT_STATED

NOT_REPORTED = NOT_STATED | {"not reported"}
_COUNT_WORDS = {"once": "1", "twice": "2", "thrice": "3"}
_ADVERBS = {"daily": "day", "weekly": "week", "monthly": "month", "yearly": "year", "hourly": "hour"}
LABEL_CHARS = 24
LABEL_LINES = 2
ELLIPSIS = "…"


def is_not_reported(text: str | None) -> bool:
    """True for the words an author writes when the source leaves a value out."""
    return text is not None and " ".join(text.lower().split()).rstrip(".") in NOT_REPORTED


def short_frequency(text: str | None) -> str:
    """'3 times weekly' → '3×/week', 'once weekly' → 'weekly', 'twice daily' → '2×/day'; others as written.

    A dose written as a total per period ('40 mg/day') has no frequency: the label is then empty.
    """
    if text is None:
        return ""
    if is_not_reported(text):
        return "frequency not reported"
    clean = " ".join(text.lower().split()).rstrip(".")
    match = re.fullmatch(r"(?P<n>once|twice|thrice|\d+(?:\.\d+)?)\s*(?:times|x|×)?\s*(?:a|per|/|each)?\s*"
                         r"(?P<period>daily|weekly|monthly|yearly|hourly|day|week|month|year|hour)", clean)
    if not match:
        return text.strip()
    times = _COUNT_WORDS.get(match["n"], match["n"])
    period = _ADVERBS.get(match["period"], match["period"])
    adverb = next(a for a, p in _ADVERBS.items() if p == period)
    return adverb if times == "1" else f"{times}×/{period}"


def dose_text(phase: Phase) -> str:
    """The dose, or the taper's first and last dose with one shared unit ('60 → 20 mg')."""
    if is_not_reported(phase.dose):
        return "dose not reported"
    if not phase.taper_to:
        return phase.dose.strip()
    if is_not_reported(phase.taper_to):
        return f"{phase.dose.strip()} → dose not reported"
    first, last = phase.dose.strip(), phase.taper_to.strip()
    first_number, first_unit = _number_and_unit(first)
    _, last_unit = _number_and_unit(last)
    if first_number and first_unit == last_unit:
        first = first_number
    return f"{first} → {last}"


def phase_label(phase: Phase, regimen: Regimen, short: bool = True) -> str:
    """One phase as it reads: dose, frequency ('3×/week', or as written when not `short`), 'taper'.

    A phase's own drug or route comes first; a dose not reported comes last, after what is known.
    """
    if phase.frequency is None or is_not_reported(phase.frequency):
        frequency = short_frequency(phase.frequency)
    else:
        frequency = short_frequency(phase.frequency) if short else phase.frequency.strip()
    dose = dose_text(phase)
    if short and is_not_reported(phase.dose) and frequency == "frequency not reported":
        frequency, dose = "", "regimen not reported"
    words = [frequency, dose] if is_not_reported(phase.dose) else [dose, frequency]
    either_missing = is_not_reported(phase.dose) or is_not_reported(phase.frequency)
    text = (", " if either_missing else " ").join(w for w in words if w)
    if phase.taper_to:
        text += ", taper"
    override = [
        v for v, base in ((phase.route, regimen.route), (phase.drug, regimen.drug))
        if v and v != base and not is_not_reported(v)
    ]
    return superscript_units(f"{' '.join(override)} {text}" if override else text)


def route_and_drug(route: str | None, drug: str) -> str:
    """'IV immunoglobulin'; the drug alone when the route is not reported (never 'not reported aspirin')."""
    return drug if not route or is_not_reported(route) else f"{route} {drug}"


def superscript_units(text: str) -> str:
    """'10 mg/m2' → '10 mg/m²', as the dosing table prints its units."""
    return re.sub(r"(?<=/m)2\b", "²", text)


def regimen_label(regimen: Regimen, short: bool = True) -> tuple[str, str]:
    """(name, regimen): the label or course, else route and drug; then each phase, joined by 'then'."""
    name = regimen.label or regimen.course or route_and_drug(regimen.route, regimen.drug)
    return name, ", then ".join(phase_label(p, regimen, short) for p in regimen.phases)


def fit_label(name: str, phases: list[str], has_label: bool) -> str:
    """The row label in at most two wrapped lines: name and regimen, shortened until they fit.

    Tried in turn: every phase; the first and last phase around '…'; the first phase and '…';
    the regimen's own label alone (when it has one); and last the name and a cut first phase.
    Taller labels pushed the rows apart and, on a phone, the figure's text below legibility.
    """
    shown = [phases[0], ELLIPSIS, phases[-1]] if len(phases) > 2 else phases
    tries = [", then ".join(phases), ", then ".join(shown), f"{phases[0]}, {ELLIPSIS}" if len(phases) > 1 else ""]
    for detail in filter(None, tries):
        for label in (f"{name}\n{detail}", f"{name}: {detail}"):  # name on its own line, else run on
            if len(wrapped(label)) <= LABEL_LINES:
                return "\n".join(wrapped(label)) if ": " in label.splitlines()[0] else label
    if has_label or not phases:
        return cap_lines(name)
    return f"{cap_lines(name, 1)}\n{cap_lines(phases[0], 1)}"


def wrapped(text: str) -> list[str]:
    """Each line of `text` wrapped to the label column's width."""
    return [w for line in text.splitlines() for w in textwrap.wrap(line, LABEL_CHARS) or [""]]


def cap_lines(text: str, lines: int = LABEL_LINES) -> str:
    """`text` wrapped, cut to `lines` lines with '…' when it runs longer."""
    return "\n".join(textwrap.wrap(text, LABEL_CHARS, max_lines=lines, placeholder=f" {ELLIPSIS}") or [""])


def _number_and_unit(dose: str) -> tuple[str, str]:
    match = re.fullmatch(r"(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>.+)", dose)
    return (match["num"], match["unit"].strip()) if match else ("", dose)

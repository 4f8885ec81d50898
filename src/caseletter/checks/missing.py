"""What a reviewer asks for first: the gaps a real draft leaves, each with what to write.

An IV regimen with no infusion time; a drug given with a dose in the story but no regimen under
``interventions`` (or a regimen whose drug the story never names); a literature regimen with no
citation; an outcome with no follow-up time; a consent that does not say it covers publication,
or the photographs a letter shows; a figure that is not a photograph of the patient and does not
say where it comes from. Each is a warning at its field: the letter can be built, but a reviewer
would send it back.
"""

from __future__ import annotations

import re

from caseletter.case.model import Case
from caseletter.case.placeholders import without_placeholders
from caseletter.case.source import CaseSource
from caseletter.checks.finding import WARNING, Finding
from caseletter.checks.profile import Profile

_IV = re.compile(r"^(?:iv|intravenous(?:ly)?|i\.v\.)$", re.IGNORECASE)
_DOSE_UNIT = r"(?:mg|g|mcg|µg|μg|ug|IU|units?|mmol)(?:/(?:kg|m2|m²))?(?![\w/])"
_NUMBER = r"\d+(?:[.,]\d+)?"
#: A word of a drug's name: lower-case letters, at least four ("sodium", "thiosulfate").
_WORD = r"[a-z][a-z-]{3,}"
_DRUG_THEN_DOSE = re.compile(rf"\b(?P<drug>{_WORD}(?: {_WORD})?)(?:,| at| of)? (?:a dose of )?{_NUMBER} ?{_DOSE_UNIT}")
_DOSE_THEN_DRUG = re.compile(rf"{_NUMBER} ?{_DOSE_UNIT}(?: of)? (?P<drug>{_WORD}(?: {_WORD})?)")
#: Words around a dose that are not a drug's name.
_NOT_DRUGS = frozenset(
    "oral orally intravenous intravenously topical topically intralesional subcutaneous intramuscular dose doses "
    "dosage total cumulative daily weekly monthly given received began started took taking infusion infusions "
    "injection injections tablet tablets capsule capsules with over then from each every twice thrice once "
    "about nearly approximately initial initially maintenance loading were was and the per infused injected "
    "administered applied delivered prescribed tapered increased reduced decreased continued stopped resumed "
    "times hours minutes days weeks months".split()
)
_FOLLOW_UP_TIME = re.compile(
    r"\bfollow-?up\b.{0,40}\b\d|\b\d+(?:\.\d+)?[- ](?:day|week|month|year)s?\b"
    r"|\bafter (?:\w+ ){0,2}(?:days?|weeks?|months?|years?)\b",
    re.IGNORECASE,
)
_PUBLICATION = re.compile(r"\bpublica\w*|\bpublish\w*", re.IGNORECASE)
#: What a legend says about where an image comes from: a citation, or who drew, made or lent it.
_SOURCE = re.compile(
    r"\[@|\b(?:drawn|drawing|drew|illustrat\w+|courtesy|adapted|reproduced|reprinted|created|made|generated|"
    r"rendered|photograph(?:ed)? by|by the authors?|source|credit|permission|with thanks)\b",
    re.IGNORECASE,
)
CONSENT_TO_IMAGES = re.compile(r"\b(?:image|images|imaging|photo\w*|picture\w*|figure\w*|likeness)\b", re.IGNORECASE)


def find(source: CaseSource, profile: Profile) -> list[Finding]:
    """Every missing item a reviewer would ask for, as a warning at its field."""
    case = without_placeholders(source.case)
    return [
        *missing_infusion_times(case), *drugs_without_regimens(case), *regimens_the_text_never_names(case),
        *uncited_literature(case), *follow_up_without_time(case), *consent_gaps(case),
        *figures_without_source(case),
    ]


def missing_infusion_times(case: Case) -> list[Finding]:
    """An IV phase of this patient's regimen with no infusion time: rate and tolerance hang on it."""
    return [
        Finding(
            WARNING, "missing", f"interventions[{i}].phases[{j}]", f"the IV {regimen.drug} has no infusion time",
            'Add infusion_time: to the phase, e.g. "30 minutes", or "not stated" if the source does not give it.',
            detail="no_infusion_time",
        )
        for i, regimen in enumerate(case.interventions) if _IV.match(regimen.route.strip())
        for j, phase in enumerate(regimen.phases) if not phase.infusion_time
    ]


def named_doses(text: str) -> list[str]:
    """The drug names the text gives a dose for ("cetirizine, 10 mg", "12.5 g of sodium thiosulfate")."""
    names = []
    for pattern in (_DRUG_THEN_DOSE, _DOSE_THEN_DRUG):
        for match in pattern.finditer(text):
            words = [w for w in match["drug"].split() if w not in _NOT_DRUGS]
            if words:
                names.append(" ".join(words))
    return list(dict.fromkeys(names))


def drugs_without_regimens(case: Case) -> list[Finding]:
    """A drug given with a dose in the treatment or outcome that no regimen of this patient's names."""
    given = [r.drug.lower() for r in case.interventions]
    findings = []
    for field, text in (("case.treatment", case.case.treatment), ("case.outcome", case.case.outcome)):
        for drug in named_doses(text):
            if not any(drug in name or name in drug for name in given):
                findings.append(Finding(
                    WARNING, "missing", field, f"{drug!r} is given a dose here but has no regimen under interventions",
                    f"Add it under interventions (drug: {drug}, route, dose, frequency, duration) so its doses are "
                    "computed and drawn on the timeline.",
                    drug, detail="drug_without_regimen",
                ))
    return findings


def regimens_the_text_never_names(case: Case) -> list[Finding]:
    """A regimen of this patient's whose drug the story never names: the table would be unexplained."""
    story = " ".join([case.opening, case.case.presentation, case.case.treatment, case.case.outcome]).lower()
    return [
        Finding(
            WARNING, "missing", f"interventions[{i}].drug", f"the case's text never names {regimen.drug!r}",
            f"Say in case.treatment what was given: {regimen.route} {regimen.drug}, the dose and how often.",
            regimen.drug, detail="regimen_not_in_text",
        )
        for i, regimen in enumerate(case.interventions)
        if regimen.drug.lower() not in story and not any(w in story for w in regimen.drug.lower().split() if len(w) > 5)
    ]


def uncited_literature(case: Case) -> list[Finding]:
    """A literature regimen with no citation: a reader cannot check where the doses come from."""
    return [
        Finding(
            WARNING, "missing", f"dosing.literature[{i}]", f"the literature regimen of {regimen.drug} cites no report",
            "Add cite: with the key of the report it comes from, e.g. cite: [smith2013].",
            detail="literature_without_citation",
        )
        for i, regimen in enumerate(case.dosing.literature) if not regimen.cite
    ]


def follow_up_without_time(case: Case) -> list[Finding]:
    """An outcome that says no when it was seen: "improved" at what point?"""
    if not case.case.outcome or _FOLLOW_UP_TIME.search(case.case.outcome):
        return []
    return [Finding(
        WARNING, "missing", "case.outcome", "the outcome gives no follow-up time",
        'Say when it was seen, e.g. "At 3-month follow-up ..." or "after 8 months of treatment".',
        detail="follow_up_without_time",
    )]


def consent_gaps(case: Case) -> list[Finding]:
    """A consent that does not say it is for publication, or leaves out the photographs shown."""
    if not case.consent:
        return []  # the CARE check reports a missing consent
    findings = []
    if not _PUBLICATION.search(case.consent):
        findings.append(Finding(
            WARNING, "missing", "consent", "the consent does not say it was given for publication",
            'Say what was consented to, e.g. "The patient gave written informed consent for publication of this '
            'report."',
            detail="consent_without_publication",
        ))
    photographs = [f"figures[{i}]" for i, fig in enumerate(case.figures) if not fig.illustrative]
    if photographs and not CONSENT_TO_IMAGES.search(case.consent):
        findings.append(Finding(
            WARNING, "missing", "consent", f"the letter shows clinical photographs ({', '.join(photographs)}) "
            "but the consent does not mention images",
            'Say that consent covers the images, e.g. "... for publication of this report and its images."',
            detail="consent_without_images",
        ))
    return findings


def figures_without_source(case: Case) -> list[Finding]:
    """A figure that is not the patient's own photograph, whose legend does not say where it is from.

    A drawing, a diagram or an image from another publication needs its source in the legend: an
    editor asks who made it and, for a reproduced image, for the citation and the permission.
    """
    return [
        Finding(
            WARNING, "missing", f"figures[{i}].legend",
            f"figure {i + 1} is not a photograph of the patient, and its legend does not say where it comes from",
            'End the legend with its source, e.g. "Drawn by the authors." or "Adapted from [@key], with permission."',
            detail="figure_without_source",
        )
        for i, figure in enumerate(case.figures)
        if figure.illustrative and not _SOURCE.search(figure.legend)
    ]

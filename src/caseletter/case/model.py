"""The case model: what a trainee writes about one patient, as validated Python objects.

The model holds the case as the author typed it. Quantities stay strings here ("12.5 g",
"3 times weekly", "8 months"): their meaning is the dosing stage's business, which parses
them with pint and reports a bad one by its field. Narrative fields are Markdown that cite
with pandoc-style keys (``[@smith2013]``) and point at figures with ``@fig-id``.

Every model forbids unknown fields, so a misspelt key is an error rather than silently lost
text. ``caseletter schema`` prints this model as JSON Schema for editors.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from caseletter.case.contributors import credit_role, normalise_orcid

Markdown = Annotated[str, Field(json_schema_extra={"contentMediaType": "text/markdown"})]
#: A CRediT role in any usual spelling, stored as the standard prints it.
CreditRole = Annotated[str, AfterValidator(credit_role)]


class Strict(BaseModel):
    """Base for every part of the case file: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Author(Strict):
    """One author of the letter, as the byline prints them."""

    name: str = Field(description="Full name as printed, e.g. 'Ana Ruiz'.", min_length=1)
    degrees: str = Field("", description="Degrees after the name, e.g. 'MD, PhD'.")
    affiliation: str = Field("", description="Department and institution.")
    email: str = Field("", description="Given for the corresponding author only.")
    corresponding: bool = Field(False, description="True for the corresponding author.")
    orcid: str = Field("", description="ORCID iD, e.g. '0000-0002-1825-0097' (its check character is checked).")
    credit: list[CreditRole] = Field(
        default_factory=list,
        description="CRediT roles, e.g. ['Conceptualization', 'Writing – original draft'] (the 14 NISO roles).",
    )
    address: str = Field("", description="Postal address, for the corresponding author's contact on the title page.")
    phone: str = Field("", description="Telephone, for the corresponding author's contact where the journal asks.")

    @field_validator("orcid")
    @classmethod
    def _orcid(cls, value: str) -> str:
        return normalise_orcid(value) if value else ""


class Patient(Strict):
    """The de-identified patient: what CARE item 5 asks for."""

    age: int = Field(description="Age in years at presentation (ages over 89 are identifiers).", ge=0, le=130)
    sex: Literal["female", "male", "intersex", "not stated"] = Field(description="Sex as recorded.")
    weight: str | None = Field(None, description="Body weight with its unit, e.g. '68 kg'; needed for mg/kg doses.")
    height: str | None = Field(None, description="Height with its unit, e.g. '165 cm'; needed for mg/m2 doses.")
    history: list[str] = Field(default_factory=list, description="Relevant medical history, one item each.")


class StructuredAbstract(Strict):
    """A structured abstract, as CARE item 3 and most case-report journals ask for it."""

    background: Markdown = Field(description="What is known, and what this case adds.", min_length=1)
    case_presentation: Markdown = Field(
        description="The patient's main concerns and findings, the diagnoses, interventions and outcomes.",
        min_length=1,
    )
    conclusions: Markdown = Field(description="The main take-away lesson.", min_length=1)


class Diagnosis(Strict):
    """The diagnosis of primary focus and how it was reached."""

    name: str = Field(description="The diagnosis, e.g. 'dystrophic calcinosis cutis'.", min_length=1)
    assessment: Markdown = Field("", description="How the diagnosis was made (examination, tests, differential).")


class CaseNarrative(Strict):
    """The Case section, in the order the letter tells it."""

    presentation: Markdown = Field(description="The patient and the findings at presentation.", min_length=1)
    diagnosis: Diagnosis
    treatment: Markdown = Field(
        description="What was given, in words; the regimen itself goes under interventions.", min_length=1
    )
    outcome: Markdown = Field(
        description="Follow-up and outcomes: response, adverse events, recurrence, re-treatment.", min_length=1
    )


class Phase(Strict):
    """One phase of a regimen: a dose given at a frequency for a duration, as the source reports it.

    Any field the source leaves out may say "not reported": the table prints it, and every figure
    that needs it says it is not computable, and why.
    """

    dose: str = Field(
        description="Dose with unit: '12.5 g', '2 mg/kg', '375 mg/m2', '10 IU', '20 mmol', '50 mL of 250 mg/mL'; "
        "or a total per period: '40 mg/day', '1 g/kg/day', '30 g per week'; or 'not reported'.",
        min_length=1,
    )
    frequency: str | None = Field(
        None,
        description="'3 times weekly', 'twice daily', 'bid', 'q8h', 'q2w', 'every other week', 'single dose', "
        "'weekly × 4', 'twice, 2 weeks apart' or 'not reported'; may be left out for a total per period.",
    )
    duration: str | None = Field(
        None, description="'2 weeks', '3 months', '6 infusions', 'for 5 consecutive days' or 'not reported'; "
        "or leave out and give 'until' (none is needed for a single or counted dose).",
    )
    until: str | None = Field(None, description="An end event instead of a duration, e.g. 'last follow-up'.")
    infusion_time: str | None = Field(None, description="Infusion time where given, e.g. '30 minutes'.")
    taper_to: str | None = Field(None, description="A taper: the last dose, e.g. '20 mg' (the first is 'dose').")
    taper_step: str | None = Field(
        None, description="A taper's rule where the source gives it: 'linear' (a little less each time) or a step "
        "and its period, e.g. '10 mg weekly'; left out, the cumulative dose is given as a range.",
    )
    drug: str | None = Field(None, description="This phase's drug when it differs from the regimen's (a course).")
    route: str | None = Field(None, description="This phase's route when it differs from the regimen's.")
    gap: str | None = Field(
        None, description="Time between the end of the phase before and this one: '2 weeks' or 'not reported'.",
    )
    note: str = Field("", description="A remark kept and shown, never computed (e.g. an escalation rule).")


class Regimen(Strict):
    """A drug given by one route, as one or more phases that follow each other."""

    drug: str = Field(description="Generic drug name, e.g. 'sodium thiosulfate'.", min_length=1)
    route: str = Field(description="Route, e.g. 'IV', 'oral', 'topical', 'intradermal'.", min_length=1)
    phases: list[Phase] = Field(description="The phases in order; each follows the one before.", min_length=1)
    label: str = Field("", description="A short name for the table, e.g. 'Initial course'.")
    start: str = Field(
        "0", description="When it began: relative to presentation ('0', '9 months'), to a timeline event "
        "('2 weeks after biopsy'), or 'not reported'.",
    )
    course: str = Field("", description="A course's name, shared by the regimens given as one course.")
    note: str = Field("", description="A remark kept and shown, e.g. 'with abatacept'.")
    cite: list[str] = Field(
        default_factory=list, description="For a literature regimen: the citation keys it comes from."
    )


class Lab(Strict):
    """One laboratory value as the source reports it; the letter prints it in a table, converted where it can be.

    The value and its unit stay as typed: the dosing stage converts a known analyte (calcium,
    creatinine, glucose, ...) between SI and conventional units, and prints any other as given.
    """

    test: str = Field(description="The test, e.g. 'Calcium', 'serum creatinine', 'BUN'.", min_length=1)
    value: str | int | float = Field(
        description="The result as reported: a number ('10.2', '<0.5'; quote it to keep trailing zeros), "
        "or words such as 'not reported' or 'negative'.",
    )
    unit: str = Field("", description="The unit as reported, e.g. 'mg/dL', 'mmol/L', 'µmol/L', 'g/L'.")
    range: str | None = Field(
        None, description="The reference range as reported: '8.5-10.5 mg/dL', '8.5–10.5' (in the value's unit), "
        "'<200 mg/dL'; a value outside it is flagged H or L.",
    )
    time: str | None = Field(None, description="When it was measured, relative to presentation: '0', '3 months'.")
    note: str = Field("", description="A remark printed beside the value, e.g. 'corrected for albumin'.")


class TimelineEvent(Strict):
    """One event of the episode of care, at a time relative to presentation."""

    time: str = Field(description="Relative time: '-10 years', '0', '3 months'.", min_length=1)
    event: str = Field(description="What happened, in a few words.", min_length=1)
    until: str | None = Field(None, description="For a span (a treatment), when it ended: '8 months'.")


class Panel(Strict):
    """One panel of a figure (A, B, ...)."""

    file: str = Field(description="Image file, relative to the case file's folder.", min_length=1)
    caption: str = Field("", description="What this panel shows; the legend prints it after the panel letter.")


class Figure(Strict):
    """A figure with its legend; either one image file or several panels."""

    id: str = Field(
        description="Identifier starting with 'fig-'; cite it in text as @fig-id.", pattern=r"^fig-[A-Za-z0-9_-]+$"
    )
    legend: Markdown = Field(description="The legend, without the 'Figure N.' prefix.", min_length=1)
    file: str | None = Field(None, description="Image file, relative to the case file's folder (or give panels).")
    panels: list[Panel] = Field(default_factory=list, description="Panels A, B, ... each with its own image.")
    alt: str = Field("", description="Alternative text for readers who cannot see the image.")
    illustrative: bool = Field(False, description="True when the image is an illustration, not a clinical photograph.")

    @field_validator("panels")
    @classmethod
    def _at_most_26_panels(cls, panels: list[Panel]) -> list[Panel]:
        if len(panels) > 26:
            raise ValueError("a figure can have at most 26 panels (A to Z)")
        return panels


class DosingSection(Strict):
    """The Dosing section: this case's regimen beside the regimens the literature reports."""

    timeline: Literal["figure", "table"] = Field(
        "figure", description="The timeline as a figure, or as a table (for a journal with a tight figure limit).",
    )
    text: list[Markdown] = Field(default_factory=list, description="Paragraphs on dosing, citing the reports.")
    literature: list[Regimen] = Field(
        default_factory=list, description="Regimens from cited reports, each with 'cite'."
    )


class Case(Strict):
    """One case: everything the notebooks need to write it as a letter, a case report or an images article."""

    title: str = Field(description="The letter's title.", min_length=1)
    journal: str = Field("ama", description="Journal style: a folder under templates/journals/ (e.g. 'ama', 'cutis').")
    article_type: str = Field(
        "letter", description="Article type in the journal's profile: 'letter', 'case_report', 'images', ... "
        "(a name with 'letter' is written as a letter, with 'image' as an images article, any other as a case report).",
    )
    keywords: list[str] = Field(default_factory=list, description="2 to 5 key words, including 'case report'.")
    authors: list[Author] = Field(description="Authors in byline order.", min_length=1)
    patient: Patient
    abstract: Markdown | StructuredAbstract = Field(
        "",
        description=(
            "Abstract, for article types that need one: one paragraph, or structured as background, "
            "case_presentation and conclusions (what the case adds, main concerns and findings, diagnoses, "
            "interventions and outcomes, take-away lesson)."
        ),
    )
    opening: Markdown = Field(
        "", description="Why this case matters: the paragraph after 'To the Editor:' in a letter, the "
        "Introduction of a case report (an images article may leave it out).",
    )
    case: CaseNarrative
    labs: list[Lab] = Field(
        default_factory=list, description="Laboratory values, printed as a table at the end of the Case section."
    )
    interventions: list[Regimen] = Field(default_factory=list, description="This patient's regimens.")
    timeline: list[TimelineEvent] = Field(default_factory=list, description="Events with relative times.")
    figures: list[Figure] = Field(default_factory=list, description="Figures, numbered by first mention.")
    discussion: list[Markdown] = Field(description="Discussion paragraphs.", min_length=1)
    strengths_limitations: list[Markdown] = Field(
        default_factory=list, description="A case report's strengths and limitations, one paragraph each.",
    )
    dosing: DosingSection = Field(default_factory=DosingSection)
    practice_points: list[Markdown] = Field(
        default_factory=list, description="The Practice Points box (a case report's learning points), one each."
    )
    patient_perspective: Markdown = Field("", description="The patient's own view, where they gave it.")
    consent: Markdown = Field("", description="How informed consent for publication was obtained.")
    acknowledgements: Markdown = Field("", description="People and bodies thanked (never in a blinded manuscript).")
    conflicts: Markdown = Field(
        "", description="Conflicts of interest, e.g. 'None declared.'; the title page prints it.",
    )
    funding: Markdown = Field("", description="Funding, e.g. 'None.' or the grant and its funder.")
    bibliography: list[str] = Field(default_factory=list, description=(
        "Reference files beside the shared references.bib, relative to the case file: BibTeX (.bib), CSL-JSON "
        "(.json), RIS (.ris) or PubMed's MEDLINE (.nbib), as a reference manager exports them."
    ))

    def corresponding_author(self) -> tuple[int, Author]:
        """The author the journal writes to, with their place in the byline: the first marked, else the first."""
        return next(((i, a) for i, a in enumerate(self.authors) if a.corresponding), (0, self.authors[0]))

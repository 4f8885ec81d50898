"""The patient's body size, read only when a dose by weight or surface needs it.

A case report gives the weight and height its source gives, or none: a missing one is said
(`missing_for`), never asked to be filled in.
"""

from __future__ import annotations

from typing import Any

from caseletter.case.model import Case
from caseletter.dosing.quantities import parse_body_size
from caseletter.dosing.units import mosteller_bsa
from caseletter.errors import MissingBodySize


class BodySize:
    """The patient's weight, height and Mosteller BSA, read only when a dose needs them."""

    def __init__(self, case: Case, case_path: str) -> None:
        self.patient = case.patient
        self.case_path = case_path
        self.notes: list[str] = []

    def weight(self, needed_by: str) -> Any:
        """The weight as a pint mass; raise naming patient.weight when it is missing."""
        where = f"{self.case_path}, patient.weight"
        if not self.patient.weight:
            raise MissingBodySize(
                where,
                f"{needed_by} is a weight-based dose, but the case gives no weight",
                "Add the patient's weight under patient, e.g. `weight: 68 kg`.",
            )
        return parse_body_size(self.patient.weight, where, "[mass]")

    def height(self, needed_by: str) -> Any:
        """The height as a pint length; raise naming patient.height when it is missing."""
        where = f"{self.case_path}, patient.height"
        if not self.patient.height:
            raise MissingBodySize(
                where,
                f"{needed_by} is a dose per body surface, and body surface needs a height, but the case gives none",
                "Add the patient's height under patient, e.g. `height: 165 cm`.",
            )
        return parse_body_size(self.patient.height, where, "[length]")

    def bsa(self, needed_by: str) -> Any:
        """Mosteller body surface area; the note under the table shows its arithmetic."""
        weight, height = self.weight(needed_by), self.height(needed_by)
        bsa = mosteller_bsa(weight, height)
        note = f"Body surface area (Mosteller): √({height:~P} × {weight:~P} / 3600) = {bsa.magnitude:.3g} m²."
        if note not in self.notes:
            self.notes.append(note)
        return bsa

    def weight_or_none(self) -> Any:
        """The weight if the case gives one, for comparing with mg/kg literature doses."""
        return self.weight("") if self.patient.weight else None

    def missing_for(self, basis: str) -> str:
        """What the case lacks for a dose of this basis ("" when nothing): never a value to invent."""
        if basis == "weight" and not self.patient.weight:
            return "no body weight reported"
        if basis == "area" and not (self.patient.weight and self.patient.height):
            lacking = [n for n, v in (("weight", self.patient.weight), ("height", self.patient.height)) if not v]
            return f"no body {' or '.join(lacking)} reported, and body surface needs both"
        return ""

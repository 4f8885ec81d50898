"""The analytes whose laboratory values the kit converts, each with its SI and conventional units.

A value converts between mass and amount of substance only through its analyte's molar mass,
so the table below is the whole of what the kit knows: a test it does not list is printed as
reported, never converted by a guess at what was measured. Molar masses are those the
conversion factors of laboratory medicine use (the AMA Manual of Style's SI conversion table):

- phosphate is reported as phosphorus (30.974 g/mol), whatever the test's name;
- urea is converted as urea nitrogen (BUN): one mole of urea holds two of nitrogen, 28.014 g.
  A test named plain "urea" is not listed, since "urea 30 mg/dL" may mean urea (60.06 g/mol)
  or its nitrogen, a factor of 2.14 apart;
- triglycerides are converted as triolein (885.7 g/mol);
- albumin, total protein and haemoglobin need no molar mass: g/dL and g/L are both mass
  concentrations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Analyte:
    """One analyte: its name as printed, its units, and its molar mass when conversion needs one.

    Attributes:
        name: the analyte's name (the table prints the test as the case names it).
        si_unit: the SI unit the value is given in, as printed ("mmol/L").
        conventional_unit: the conventional (US) unit, as printed ("mg/dL").
        molar_mass: g/mol, or None when both units measure mass.
        aliases: other names a case may use, matched without regard to case, spaces or hyphens.
    """

    name: str
    si_unit: str
    conventional_unit: str
    molar_mass: float | None = None
    aliases: tuple[str, ...] = ()


ANALYTES: tuple[Analyte, ...] = (
    Analyte("Calcium", "mmol/L", "mg/dL", 40.078, ("Ca", "serum calcium", "total calcium", "corrected calcium")),
    Analyte("Phosphate", "mmol/L", "mg/dL", 30.974, (
        "phosphorus", "serum phosphate", "serum phosphorus", "inorganic phosphate", "inorganic phosphorus", "PO4",
    )),
    Analyte("Magnesium", "mmol/L", "mg/dL", 24.305, ("Mg", "serum magnesium")),
    Analyte("Creatinine", "µmol/L", "mg/dL", 113.12, ("serum creatinine", "SCr")),
    Analyte("Glucose", "mmol/L", "mg/dL", 180.16, ("blood glucose", "plasma glucose", "fasting glucose")),
    Analyte("Cholesterol", "mmol/L", "mg/dL", 386.65, (
        "total cholesterol", "serum cholesterol", "LDL cholesterol", "LDL-C", "HDL cholesterol", "HDL-C",
    )),
    Analyte("Triglycerides", "mmol/L", "mg/dL", 885.7, ("triglyceride", "TG", "serum triglycerides")),
    Analyte("Urea nitrogen", "mmol/L", "mg/dL", 28.014, (
        "BUN", "blood urea nitrogen", "serum urea nitrogen", "SUN",
    )),
    Analyte("Uric acid", "µmol/L", "mg/dL", 168.11, ("urate", "serum urate", "serum uric acid")),
    Analyte("Bilirubin", "µmol/L", "mg/dL", 584.66, (
        "total bilirubin", "serum bilirubin", "direct bilirubin", "conjugated bilirubin", "indirect bilirubin",
    )),
    Analyte("Albumin", "g/L", "g/dL", None, ("serum albumin", "Alb")),
    Analyte("Total protein", "g/L", "g/dL", None, ("protein", "serum protein", "serum total protein")),
    Analyte("Haemoglobin", "g/L", "g/dL", None, ("hemoglobin", "Hb", "Hgb")),
)


def find_analyte(test: str) -> Analyte | None:
    """The analyte a test's name means, by its name or an alias; None for a test the kit does not know."""
    return _BY_NAME.get(_name_key(test))


def _name_key(name: str) -> str:
    """A name without case, spaces, hyphens or periods: "LDL-C" and "ldl c" are one name."""
    return re.sub(r"[\s\-.]+", "", name).casefold()


_BY_NAME: dict[str, Analyte] = {
    _name_key(name): analyte for analyte in ANALYTES for name in (analyte.name, *analyte.aliases)
}

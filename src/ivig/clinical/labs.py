"""Laboratory results: the unit each kind is stored in, the units accepted at entry, and their conversion.

Only conversions that follow from the definition of the units (or a molar mass) are here; a unit a
laboratory might use for which no exact conversion is known is refused, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ivig.clinical.units import MG_PER_DL_PER_G_PER_L, UnitError

# IgG LOINC code (docs/reference/codes.md s11). The reference gives no codes for the other kinds; those below
# are
# LOINC's own (loinc.org, as listed in OHDSI Athena), in the units we store.
IGG_LOINC = "2465-3"
PLATELETS_LOINC = "777-3"  # Platelets [#/volume] in Blood by Automated count
CREATININE_LOINC = "14682-9"  # Creatinine [Moles/volume] in Serum or Plasma (umol/L)
CREATININE_MASS_LOINC = "2160-0"  # Creatinine [Mass/volume] in Serum or Plasma (mg/dL)
HAEMOGLOBIN_LOINC = "718-7"  # Hemoglobin [Mass/volume] in Blood
# eGFR has one LOINC code per formula (MDRD, CKD-EPI, Schwartz...); we do not record the formula, so results
# carry no LOINC code, and an import accepts any of these.
EGFR_LOINCS = (
    "33914-3",  # MDRD, serum or plasma
    "48642-3",  # MDRD, non-black
    "48643-1",  # MDRD, black
    "50044-7",  # MDRD, females
    "70969-1",  # MDRD, males
    "50384-7",  # creatinine-based (Schwartz)
    "62238-1",  # creatinine-based (CKD-EPI)
    "88293-6",  # CKD-EPI, blacks
    "88294-4",  # CKD-EPI, non-blacks
)
# Creatinine C4H7N3O: molar mass 113.12 g/mol, so 1 mg/dL = 10 mg/L / 113.12 g/mol = 88.4 umol/L.
CREATININE_UMOL_PER_L_PER_MG_PER_DL = 10_000.0 / 113.12


class LabKind(StrEnum):
    IGG = "igg"
    PLATELETS = "platelets"
    CREATININE = "creatinine"
    EGFR = "egfr"
    HAEMOGLOBIN = "haemoglobin"


@dataclass(frozen=True, slots=True)
class LabUnits:
    stored: str  # the unit values are kept in
    accepted: dict[str, float]  # unit (lower case, no spaces) -> factor to the stored unit
    loinc: str | None = None


def _unit_key(unit: str) -> str:
    return unit.strip().lower().replace(" ", "").replace("µ", "u").replace("μ", "u").replace("×", "x")


# 10^9/L; 10^3/uL is the same quantity (10^3 x 10^6 per litre).
_PER_L_10E9 = dict.fromkeys(
    ("x10^9/l", "10^9/l", "x10e9/l", "10e9/l", "10*9/l", "x10^3/ul", "10^3/ul", "10*3/ul", "k/ul"), 1.0
)

LAB_UNITS: dict[LabKind, LabUnits] = {
    LabKind.IGG: LabUnits("g/L", {"g/l": 1.0, "mg/dl": 1.0 / MG_PER_DL_PER_G_PER_L}, IGG_LOINC),
    LabKind.PLATELETS: LabUnits("x10^9/L", _PER_L_10E9, PLATELETS_LOINC),
    LabKind.CREATININE: LabUnits(
        "umol/L", {"umol/l": 1.0, "mg/dl": CREATININE_UMOL_PER_L_PER_MG_PER_DL}, CREATININE_LOINC
    ),
    LabKind.EGFR: LabUnits(
        "mL/min/1.73 m2",
        # The last is the UCUM code (docs/reference/codes.md s11 names UCUM).
        {"ml/min/1.73m2": 1.0, "ml/min/1.73m^2": 1.0, "ml/min": 1.0, "ml/min/{1.73_m2}": 1.0},
    ),
    LabKind.HAEMOGLOBIN: LabUnits("g/L", {"g/l": 1.0, "g/dl": 10.0}, HAEMOGLOBIN_LOINC),
}

# Every LOINC code a result may arrive with (an import from an EHR), and its kind.
LOINC_KINDS: dict[str, LabKind] = {
    **{units.loinc: kind for kind, units in LAB_UNITS.items() if units.loinc},
    CREATININE_MASS_LOINC: LabKind.CREATININE,
    **dict.fromkeys(EGFR_LOINCS, LabKind.EGFR),
}

# The units offered in entry forms, per kind (stored unit first).
ENTRY_UNITS: dict[LabKind, tuple[str, ...]] = {
    LabKind.IGG: ("g/L", "mg/dL"),
    LabKind.PLATELETS: ("x10^9/L",),
    LabKind.CREATININE: ("umol/L", "mg/dL"),
    LabKind.EGFR: ("mL/min/1.73 m2",),
    LabKind.HAEMOGLOBIN: ("g/L", "g/dL"),
}


def lab_kind(text: str) -> LabKind:
    """Read a kind name ("IgG", "platelets", "Hb"...)."""
    key = text.strip().lower()
    aliases = {"hb": LabKind.HAEMOGLOBIN, "hemoglobin": LabKind.HAEMOGLOBIN, "plt": LabKind.PLATELETS}
    if key in aliases:
        return aliases[key]
    try:
        return LabKind(key)
    except ValueError:
        known = ", ".join(k.value for k in LabKind)
        raise UnitError(f"unknown lab kind {text!r}: use one of {known}") from None


def to_stored_unit(kind: LabKind, value: float, unit: str) -> float:
    """Return `value` in the stored unit of `kind`; a blank unit means the stored unit."""
    units = LAB_UNITS[kind]
    key = _unit_key(unit) or _unit_key(units.stored)
    factor = units.accepted.get(key)
    if factor is None:
        accepted = " or ".join(ENTRY_UNITS[kind])
        raise UnitError(f"unit {unit!r} is not one for {kind.value}: use {accepted}")
    return value * factor

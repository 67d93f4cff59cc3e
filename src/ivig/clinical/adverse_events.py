"""Adverse-event register: severity from the CTCAE grade, and the seriousness a new report starts with.

CTCAE v5.0 "Infusion related reaction" (docs/reference/monitoring.md s8): G1 mild and transient, G2 responds
promptly to
treatment, G3 prolonged or recurrent or hospitalised for sequelae, G4 life-threatening, G5 death. FHIR R4
AdverseEvent.severity has three codes (mild, moderate, severe): G1 is mild, G2 moderate, G3 to G5 severe.

A new report's seriousness is a first guess from the grade that Quality confirms or corrects in review:
G5 is "death", G4 "life-threatening" (the reference's own words for these grades, s8), and a G3 reaction
or one the flowsheet already called serious (anaphylaxis treated with epinephrine) is "other serious
(important medical event)" until a reviewer knows whether it led to a hospital stay or an intervention
(Form FDA 3500 section B2).

Pure Python: no Django.
"""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


class Criterion(StrEnum):
    """The "serious" outcomes of Form FDA 3500 section B2."""

    DEATH = "death"
    LIFE_THREATENING = "life_threatening"
    HOSPITALISATION = "hospitalisation"
    DISABILITY = "disability"
    CONGENITAL_ANOMALY = "congenital_anomaly"
    INTERVENTION = "intervention"
    OTHER = "other"


def check_grade(grade: int) -> int:
    if not 1 <= grade <= 5:
        raise ValueError(f"CTCAE grades run from 1 to 5, not {grade}")
    return grade


def severity_for_grade(grade: int) -> Severity:
    check_grade(grade)
    if grade == 1:
        return Severity.MILD
    if grade == 2:
        return Severity.MODERATE
    return Severity.SEVERE


def initial_criteria(grade: int, *, flagged_serious: bool = False) -> frozenset[Criterion]:
    """The seriousness criteria a new report starts with (empty: not serious)."""
    check_grade(grade)
    if grade == 5:
        return frozenset({Criterion.DEATH})
    if grade == 4:
        return frozenset({Criterion.LIFE_THREATENING})
    if grade == 3 or flagged_serious:
        return frozenset({Criterion.OTHER})
    return frozenset()

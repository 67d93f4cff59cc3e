"""Infection log rates per patient-year, for replacement therapy in immunodeficiency.

FDA guidance 2008 (docs/reference/outcomes.md s10): serious bacterial infections (SBI) below 1 per
person-year;
secondary outcomes: all infections, days on antibiotics, hospital days.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

# A mean Gregorian year, so leap years do not bend a rate.
DAYS_PER_YEAR = 365.25
# FDA guidance 2008: efficacy means an SBI rate below 1 per person-year (docs/reference/outcomes.md s10).
FDA_SBI_RATE_LIMIT_PER_YEAR = 1.0


@dataclass(frozen=True, slots=True)
class Infection:
    onset: date
    kind: str  # e.g. "pneumonia", "sinusitis"
    serious_bacterial: bool
    antibiotic_days: int = 0
    hospital_days: int = 0

    def __post_init__(self) -> None:
        if self.antibiotic_days < 0 or self.hospital_days < 0:
            raise ValueError("antibiotic and hospital days cannot be negative")


@dataclass(frozen=True, slots=True)
class InfectionRates:
    patient_years: float
    sbi_count: int
    infection_count: int
    sbi_per_patient_year: float
    infections_per_patient_year: float
    antibiotic_days_per_patient_year: float
    hospital_days_per_patient_year: float

    @property
    def meets_fda_sbi_target(self) -> bool:
        return self.sbi_per_patient_year < FDA_SBI_RATE_LIMIT_PER_YEAR


def _years(start: date, end: date) -> float:
    if end <= start:
        raise ValueError("the observation period must end after it starts")
    return (end - start).days / DAYS_PER_YEAR


def _rates(infections: Sequence[Infection], years: float) -> InfectionRates:
    sbi = sum(1 for i in infections if i.serious_bacterial)
    return InfectionRates(
        patient_years=years,
        sbi_count=sbi,
        infection_count=len(infections),
        sbi_per_patient_year=sbi / years,
        infections_per_patient_year=len(infections) / years,
        antibiotic_days_per_patient_year=sum(i.antibiotic_days for i in infections) / years,
        hospital_days_per_patient_year=sum(i.hospital_days for i in infections) / years,
    )


def _within(log: Iterable[Infection], start: date, end: date) -> list[Infection]:
    """Keep infections with onset in [start, end): the period the patient was observed on therapy."""
    return [i for i in log if start <= i.onset < end]


def infection_rates(log: Iterable[Infection], start: date, end: date) -> InfectionRates:
    """Return one patient's rates over the observation period [start, end)."""
    return _rates(_within(log, start, end), _years(start, end))


def pooled_sbi_rate(patients: Iterable[tuple[Iterable[Infection], date, date]]) -> InfectionRates:
    """Return a cohort's rates: all events over all patient-years (as trials report them)."""
    events: list[Infection] = []
    years = 0.0
    for log, start, end in patients:
        events.extend(_within(log, start, end))
        years += _years(start, end)
    if years <= 0:
        raise ValueError("no patient-years to pool")
    return _rates(events, years)

"""Vital signs: units, LOINC codes, and out-of-range flags against the site's ranges.

The reference gives no normal ranges for adults or children, so there are no built-in ranges here: a site
sets its own ranges by age band and each range carries its source. LOINC codes: docs/reference/codes.md s11.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Measure(StrEnum):
    TEMPERATURE_C = "temperature_c"
    HEART_RATE = "heart_rate"
    SYSTOLIC = "systolic"
    DIASTOLIC = "diastolic"
    RESPIRATORY_RATE = "respiratory_rate"
    SPO2 = "spo2"


@dataclass(frozen=True, slots=True)
class MeasureInfo:
    label: str
    unit: str  # as shown
    ucum: str
    loinc: str


# LOINC and UCUM codes: docs/reference/codes.md s11.
MEASURES: dict[Measure, MeasureInfo] = {
    Measure.TEMPERATURE_C: MeasureInfo("Temperature", "°C", "Cel", "8310-5"),
    Measure.HEART_RATE: MeasureInfo("Heart rate", "/min", "/min", "8867-4"),
    Measure.SYSTOLIC: MeasureInfo("Systolic blood pressure", "mmHg", "mm[Hg]", "8480-6"),
    Measure.DIASTOLIC: MeasureInfo("Diastolic blood pressure", "mmHg", "mm[Hg]", "8462-4"),
    Measure.RESPIRATORY_RATE: MeasureInfo("Respiratory rate", "/min", "/min", "9279-1"),
    Measure.SPO2: MeasureInfo("Oxygen saturation", "%", "%", "2708-6"),
}
VITAL_SIGNS_PANEL_LOINC = "85353-1"
BLOOD_PRESSURE_PANEL_LOINC = "85354-9"
SPO2_PULSE_OXIMETRY_LOINC = "59408-5"  # US Core's second code for oxygen saturation
BODY_WEIGHT_LOINC = "29463-7"
BODY_HEIGHT_LOINC = "8302-2"


def fahrenheit_to_celsius(temp_f: float) -> float:
    return (temp_f - 32.0) * 5.0 / 9.0


def celsius_to_fahrenheit(temp_c: float) -> float:
    return temp_c * 9.0 / 5.0 + 32.0


@dataclass(frozen=True, slots=True)
class VitalRange:
    """The site's expected range of one measure for an age band [min_age_years, max_age_years)."""

    measure: Measure
    low: float | None
    high: float | None
    min_age_years: float = 0.0
    max_age_years: float | None = None
    source: str = "site setting"

    def covers(self, age_years: float) -> bool:
        return age_years >= self.min_age_years and (
            self.max_age_years is None or age_years < self.max_age_years
        )


@dataclass(frozen=True, slots=True)
class Flag:
    measure: Measure
    value: float
    direction: str  # "low" or "high"
    limit: float
    message: str
    source: str


def range_for(ranges: Sequence[VitalRange], measure: Measure, age_years: float) -> VitalRange | None:
    """The narrowest age band covering the patient, so a child band wins over an all-ages one."""
    fitting = [r for r in ranges if r.measure is measure and r.covers(age_years)]
    if not fitting:
        return None
    return min(fitting, key=lambda r: (r.max_age_years or 1e9) - r.min_age_years)


def check_vitals(
    values: Mapping[Measure, float | None], age_years: float, ranges: Sequence[VitalRange]
) -> tuple[Flag, ...]:
    """Flag each value outside the site's range for the patient's age; measures without a range pass."""
    flags = []
    for measure, value in values.items():
        if value is None:
            continue
        expected = range_for(ranges, measure, age_years)
        if expected is None:
            continue
        info = MEASURES[measure]
        if expected.low is not None and value < expected.low:
            flags.append(
                Flag(
                    measure,
                    value,
                    "low",
                    expected.low,
                    f"{info.label} {value:g} {info.unit} is below {expected.low:g}",
                    expected.source,
                )
            )
        elif expected.high is not None and value > expected.high:
            flags.append(
                Flag(
                    measure,
                    value,
                    "high",
                    expected.high,
                    f"{info.label} {value:g} {info.unit} is above {expected.high:g}",
                    expected.source,
                )
            )
    return tuple(flags)

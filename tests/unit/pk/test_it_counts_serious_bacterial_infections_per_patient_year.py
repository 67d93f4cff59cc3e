"""Infection log rates per patient-year; SBI below 1 per person-year is the FDA efficacy target."""

from __future__ import annotations

from datetime import date

import pytest

from ivig.clinical.outcomes.infections import Infection, infection_rates, pooled_sbi_rate

START, END = date(2024, 1, 1), date(2026, 1, 1)  # 731 days = 2.0014 years
LOG = [
    Infection(date(2024, 3, 1), "pneumonia", True, antibiotic_days=10, hospital_days=4),
    Infection(date(2024, 6, 1), "sinusitis", False, antibiotic_days=7),
    Infection(date(2025, 2, 1), "bacteraemia", True, antibiotic_days=14, hospital_days=6),
    Infection(date(2023, 12, 31), "pneumonia", True),  # before therapy: not counted
    Infection(date(2026, 1, 1), "pneumonia", True),  # on the end date: outside [start, end)
]


def test_it_counts_per_patient_year_inside_the_period() -> None:
    rates = infection_rates(LOG, START, END)
    years = 731 / 365.25
    assert rates.patient_years == pytest.approx(years)
    assert (rates.sbi_count, rates.infection_count) == (2, 3)
    assert rates.sbi_per_patient_year == pytest.approx(2 / years)
    assert rates.antibiotic_days_per_patient_year == pytest.approx(31 / years)
    assert rates.hospital_days_per_patient_year == pytest.approx(10 / years)
    assert rates.meets_fda_sbi_target


def test_it_flags_a_rate_at_or_above_one_per_year() -> None:
    log = [Infection(date(2024, m, 1), "pneumonia", True) for m in (2, 5)]
    rates = infection_rates(log, date(2024, 1, 1), date(2025, 1, 1))
    assert rates.sbi_per_patient_year > 1 and not rates.meets_fda_sbi_target


def test_it_pools_a_cohort_over_all_patient_years() -> None:
    cohort = [(LOG, START, END), ([], date(2024, 1, 1), date(2025, 1, 1))]
    pooled = pooled_sbi_rate(cohort)
    assert pooled.sbi_count == 2
    assert pooled.patient_years == pytest.approx((731 + 366) / 365.25)


def test_it_refuses_an_empty_period_and_negative_days() -> None:
    with pytest.raises(ValueError, match="end after"):
        infection_rates(LOG, END, START)
    with pytest.raises(ValueError, match="negative"):
        Infection(START, "otitis", False, antibiotic_days=-1)

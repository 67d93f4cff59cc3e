"""Grams by indication, product, prescriber and month, patients on therapy and infusions per day, counted
by hand on a small data set (tests/plugins/reports.py)."""

from __future__ import annotations

from datetime import date

from ivig.reports import usage
from tests.plugins.reports import PERIOD, session, usage_data

TOTAL = ("Total", 3, 2, 9, 70.0)


def test_it_adds_grams_by_indication(db, make_user, make_patient):
    usage_data(make_user, make_patient)

    table = usage.grams_by_indication(PERIOD)

    assert table.rows == [
        ("Primary immunodeficiency", 2, 1, 5, 50.0),
        ("Immune thrombocytopenia (ITP)", 1, 1, 4, 20.0),
    ]
    assert table.total == TOTAL


def test_it_adds_grams_by_product(db, make_user, make_patient):
    usage_data(make_user, make_patient)

    table = usage.grams_by_product(PERIOD)

    assert table.rows == [("Privigen", 2, 1, 5, 50.0), ("Gamunex-C", 1, 1, 4, 20.0)]
    assert table.total == TOTAL


def test_it_adds_grams_by_prescriber(db, make_user, make_patient):
    usage_data(make_user, make_patient)

    table = usage.grams_by_prescriber(PERIOD)

    assert table.rows == [("Ann Able", 2, 1, 5, 50.0), ("Ben Best", 1, 1, 4, 20.0)]
    assert table.total == TOTAL


def test_it_adds_grams_by_month_with_empty_months_shown(db, make_user, make_patient):
    usage_data(make_user, make_patient)

    table = usage.grams_by_month(PERIOD)

    assert table.rows == [
        ("2026-01", 0, 0, 0, 0.0),
        ("2026-02", 0, 0, 0, 0.0),
        ("2026-03", 1, 1, 3, 30.0),
        ("2026-04", 2, 2, 6, 40.0),
        ("2026-05", 0, 0, 0, 0.0),
        ("2026-06", 0, 0, 0, 0.0),
    ]
    assert table.total == TOTAL


def test_it_counts_patients_on_therapy_once_per_month_and_period(db, make_user, make_patient):
    usage_data(make_user, make_patient)

    table = usage.patients_on_therapy(PERIOD)

    assert table.rows[2:4] == [("2026-03", 1, 1, 0, 1), ("2026-04", 2, 2, 0, 2)]
    assert table.total == ("Whole period", 2, 2, 0, 3)


def test_it_counts_infusions_per_day_in_the_centre_and_at_home(db, make_user, make_patient):
    data = usage_data(make_user, make_patient)
    first, second, third, _before = data.orders
    session(first, date(2026, 3, 10))
    session(second, date(2026, 4, 7), setting="home")
    session(third, date(2026, 4, 20))
    session(third, date(2026, 4, 21), day_number=2)
    session(third, date(2026, 4, 21), day_number=3, status="sent_back")  # never given: not counted
    session(_before, date(2025, 1, 5))  # before the period

    table = usage.infusions_per_day(PERIOD)

    assert table.rows == [
        ("2026-03-10", 1, 0, 1),
        ("2026-04-07", 0, 1, 1),
        ("2026-04-20", 1, 0, 1),
        ("2026-04-21", 1, 0, 1),
    ]
    assert table.total == ("Total", 3, 1, 4)

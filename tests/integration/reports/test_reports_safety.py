"""Reactions per 100 infusions by product, and wastage by reason and product from the stock ledger."""

from __future__ import annotations

from datetime import date

from ivig.reports import safety
from tests.plugins.reports import PERIOD, reaction, session, usage_data, waste


def test_it_counts_reactions_per_100_infusions_by_product(db, make_user, make_patient):
    data = usage_data(make_user, make_patient)
    first, second, third, _before = data.orders
    privigen_1 = session(first, date(2026, 3, 10))
    session(second, date(2026, 4, 7))
    gamunex_1 = session(third, date(2026, 4, 20))
    session(third, date(2026, 4, 21), day_number=2)
    reaction(privigen_1, 2)
    reaction(gamunex_1, 1)
    reaction(gamunex_1, 3)

    table = safety.reactions_by_product(PERIOD)

    assert table.rows == [("Gamunex-C", 2, 2, 1, 1, 100.0), ("Privigen", 2, 1, 1, 0, 50.0)]
    assert table.total == ("All products", 4, 3, 2, 1, 75.0)


def test_it_adds_wasted_vials_and_grams_by_reason_and_product(db, make_user, make_patient):
    data = usage_data(make_user, make_patient)
    by, privigen, gamunex = data.users["Pharmacist"], data.lots["privigen"], data.lots["gamunex"]
    waste(by, privigen, 1, "damaged", date(2026, 2, 1))
    waste(by, gamunex, 2, "cold_chain", date(2026, 5, 1))
    waste(by, privigen, 1, "cold_chain", date(2026, 5, 2))
    waste(by, privigen, 3, "expired", date(2025, 12, 20))  # before the period
    waste(by, privigen, 1, "count", date(2026, 3, 3), kind="adjust")  # a count difference is not waste

    table = safety.wastage(PERIOD)

    assert table.rows == [
        ("Temperature excursion (cold chain)", "Gamunex-C", 2, 10.0),
        ("Temperature excursion (cold chain)", "Privigen", 1, 10.0),
        ("Vial broken, leaking or damaged", "Privigen", 1, 10.0),
    ]
    assert table.total == ("Total", "", 4, 30.0)

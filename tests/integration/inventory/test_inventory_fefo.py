"""Lot suggestions: first expiry first out, among available, unexpired lots with stock."""

from __future__ import annotations

from datetime import date

from ivig.inventory.actions import dispense, quarantine_lot
from ivig.inventory.queries import suggest_lots

TODAY = date(2026, 3, 1)


def test_it_suggests_the_earliest_expiry_first_and_skips_unusable_lots(make_user, make_lot):
    pharmacist = make_user("Pharmacist")
    late = make_lot(pharmacist, lot_number="LATE", vials=10, expiry_date=date(2027, 6, 30), received_on=TODAY)
    soon = make_lot(pharmacist, lot_number="SOON", vials=3, expiry_date=date(2026, 4, 30), received_on=TODAY)
    held = make_lot(pharmacist, lot_number="HELD", vials=9, expiry_date=date(2026, 3, 15), received_on=TODAY)
    quarantine_lot(by=pharmacist, lot=held, reason="Fridge excursion")
    empty = make_lot(
        pharmacist, lot_number="EMPTY", vials=2, expiry_date=date(2026, 3, 10), received_on=TODAY
    )
    dispense(by=pharmacist, lot=empty, quantity_vials=2, reference="order 1", today=TODAY)
    make_lot(pharmacist, lot_number="GONE", vials=5, expiry_date=date(2026, 3, 2), received_on=TODAY)
    make_lot(
        pharmacist,
        lot_number="OTHER",
        vials=5,
        expiry_date=date(2026, 3, 5),
        vial_size_g="5",
        received_on=TODAY,
    )

    picks = suggest_lots(late.product, 5, date(2026, 3, 3))

    assert [(pick.lot.lot_number, pick.vials) for pick in picks] == [("SOON", 3), ("LATE", 2)]
    assert soon.pk == picks[0].lot.pk


def test_it_returns_what_there_is_when_stock_is_short(make_user, make_lot):
    pharmacist = make_user("Pharmacist")
    lot = make_lot(pharmacist, vials=4)

    picks = suggest_lots(lot.product, 9, TODAY)

    assert [(pick.lot, pick.vials) for pick in picks] == [(lot, 4)]


def test_it_suggests_lots_in_one_query(make_user, make_lot, django_assert_num_queries):
    from ivig.inventory.models import StockProduct

    pharmacist = make_user("Pharmacist")
    for number in range(5):
        make_lot(pharmacist, lot_number=f"Q{number}", vials=2, expiry_date=date(2099, 1, 1 + number))
    product = StockProduct.objects.get()

    with django_assert_num_queries(1):
        picks = suggest_lots(product, 7, date(2026, 1, 1))

    assert [pick.vials for pick in picks] == [2, 2, 2, 1]

"""Receiving stock by scanning the vial's GS1 DataMatrix or typing its fields."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ivig.audit.models import AuditEvent
from ivig.inventory.actions import StockError, receive_stock, register_product
from ivig.inventory.models import Lot, StockMovement

GTIN = "00860001234565"
TODAY = date(2026, 3, 1)


@pytest.fixture
def pharmacist(make_user):
    return make_user("Pharmacist")


@pytest.fixture
def privigen_10g(pharmacist):
    return register_product(by=pharmacist, catalog_slug="privigen", vial_size_g=Decimal("10"), gtin=GTIN)


def test_it_receives_a_scanned_vial_into_a_new_lot(pharmacist, privigen_10g):
    movement = receive_stock(
        by=pharmacist, scan=f"(01){GTIN}(17)271130(10)ab12(21)S1", quantity_vials=12, today=TODAY
    )

    lot = movement.lot
    assert (lot.product, lot.gtin, lot.lot_number, lot.expiry_date) == (
        privigen_10g,
        GTIN,
        "AB12",
        date(2027, 11, 30),
    )
    assert lot.on_hand_vials == 12
    assert (movement.kind, movement.quantity_vials, movement.recorded_by) == ("receive", 12, pharmacist)
    assert AuditEvent.objects.filter(action="stock.receive", target_id=str(lot.pk)).count() == 1


def test_it_adds_a_second_delivery_to_the_same_lot(pharmacist, privigen_10g):
    receive_stock(by=pharmacist, scan=f"(01){GTIN}(17)271130(10)AB12", quantity_vials=5, today=TODAY)
    receive_stock(
        by=pharmacist,
        product=privigen_10g,
        lot_number="ab12",
        expiry_date=date(2027, 11, 30),
        quantity_vials=3,
        today=TODAY,
    )

    assert Lot.objects.get().on_hand_vials == 8
    assert StockMovement.objects.count() == 2


def test_it_uses_the_site_group_separator_replacement(pharmacist, privigen_10g, settings):
    settings.IVIG_GS1_SEPARATOR_REPLACEMENT = "|"

    movement = receive_stock(by=pharmacist, scan=f"01{GTIN}10Q9|17271130", quantity_vials=1, today=TODAY)

    assert movement.lot.lot_number == "Q9"


def test_it_teaches_a_product_without_gtin_the_scanned_one(pharmacist):
    product = register_product(by=pharmacist, catalog_slug="gamunex-c", vial_size_g=Decimal("10"))

    receive_stock(
        by=pharmacist, product=product, scan=f"(01){GTIN}(17)271130(10)G1", quantity_vials=2, today=TODAY
    )

    product.refresh_from_db()
    assert product.gtin == GTIN
    assert AuditEvent.objects.filter(action="stock.product_gtin").count() == 1


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"scan": f"(01){GTIN}(17)260228(10)OLD"}, "expired on 2026-02-28"),
        ({"scan": "(01)00860001234562(17)271130(10)X"}, "check digit"),
        ({"scan": "(01)00012345678905(17)271130(10)X"}, "GTIN 00012345678905 is not registered"),
        ({"scan": f"(01){GTIN}(17)271130(10)X", "quantity_vials": 0}, "at least one vial"),
        ({"lot_number": "", "expiry_date": date(2027, 1, 1)}, "Give the lot number"),
    ],
)
def test_it_refuses_bad_deliveries_and_writes_nothing(pharmacist, privigen_10g, arguments, message):
    arguments = {"quantity_vials": 4, "product": privigen_10g, **arguments}
    if "scan" in arguments:
        del arguments["product"]

    with pytest.raises(StockError, match=message):
        receive_stock(by=pharmacist, today=TODAY, **arguments)

    assert not Lot.objects.exists()
    assert not StockMovement.objects.exists()
    assert not AuditEvent.objects.filter(action="stock.receive").exists()


def test_it_refuses_a_delivery_whose_expiry_disagrees_with_the_lot(pharmacist, privigen_10g):
    receive_stock(by=pharmacist, scan=f"(01){GTIN}(17)271130(10)AB12", quantity_vials=5, today=TODAY)

    with pytest.raises(StockError, match="already recorded with expiry 2027-11-30"):
        receive_stock(by=pharmacist, scan=f"(01){GTIN}(17)271231(10)AB12", quantity_vials=5, today=TODAY)

    assert Lot.objects.get().on_hand_vials == 5


def test_it_refuses_more_of_a_recalled_lot(pharmacist, privigen_10g):
    from ivig.inventory.actions import recall_lot

    lot = receive_stock(
        by=pharmacist, scan=f"(01){GTIN}(17)271130(10)AB12", quantity_vials=5, today=TODAY
    ).lot
    recall_lot(by=pharmacist, lot=lot, reason="Manufacturer recall")

    with pytest.raises(StockError, match="recalled"):
        receive_stock(by=pharmacist, scan=f"(01){GTIN}(17)271130(10)AB12", quantity_vials=5, today=TODAY)

    assert lot.on_hand_vials == 5


def test_it_refuses_to_start_with_an_ambiguous_separator_replacement(settings):
    from ivig.inventory.apps import check_separator_replacement

    settings.IVIG_GS1_SEPARATOR_REPLACEMENT = "-"
    assert [error.id for error in check_separator_replacement()] == ["inventory.E001"]
    settings.IVIG_GS1_SEPARATOR_REPLACEMENT = "|"
    assert check_separator_replacement() == []

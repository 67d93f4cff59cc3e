"""Vial scans must match the dispensed product and lot, be in date and not recalled: hard stops, recorded."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ivig.audit.models import AuditEvent
from ivig.infusions import scanning
from ivig.infusions.events import InfusionError
from ivig.infusions.models import VialScan
from ivig.inventory.actions import quarantine_lot, recall_lot
from tests.drivers.infusions import GTIN_5, GTIN_20, GTIN_OTHER, Pump, barcode, checked_in, confirmed


@pytest.fixture
def session(dispensed_order, fixed_clock):
    return checked_in(dispensed_order)


def scan(d, session, text="", **typed):
    return scanning.scan_vial(by=d.nurse, session=session, text=text, **typed)


def test_it_refuses_a_lot_not_dispensed_for_the_order(dispensed_order, session):
    d = dispensed_order
    result = scan(d, session, barcode(GTIN_20, d.other.expiry_date, "OTHER20"))

    assert not result.accepted
    assert result.refusal.startswith("Wrong lot: lot OTHER20 was not dispensed")
    audit = AuditEvent.objects.get(action="infusion.vial_refused", target_id=str(session.pk))
    assert "OTHER20" in audit.summary


def test_it_refuses_an_expired_lot(dispensed_order, session):
    d = dispensed_order
    result = scan(d, session, barcode(GTIN_5, d.old.expiry_date, "OLD05"))

    assert not result.accepted and result.refusal.startswith("Expired: lot OLD05 expired on")


def test_it_refuses_another_product_and_a_label_that_disagrees_with_the_lot(dispensed_order, session):
    d = dispensed_order
    other_product = scan(d, session, barcode(GTIN_OTHER, d.gamunex.expiry_date, "GAM10"))
    wrong_gtin = scan(d, session, barcode(GTIN_5, d.g20.expiry_date, "G20A"))
    wrong_expiry = scan(d, session, barcode(GTIN_20, d.g20.expiry_date + timedelta(days=31), "G20A"))
    unreadable = scan(d, session, "not a barcode")

    assert other_product.refusal.startswith("Wrong product: this vial is Gamunex")
    assert wrong_gtin.refusal.startswith("Wrong product: this vial is Privigen 5 g")
    assert "is not the lot record's" in wrong_expiry.refusal
    assert unreadable.refusal.startswith("Not readable")
    assert not VialScan.objects.filter(session=session, accepted=True).exists()


def test_it_refuses_a_recalled_or_quarantined_lot(dispensed_order, session):
    d = dispensed_order
    recall_lot(by=d.pharmacist, lot=d.g20, reason="manufacturer recall R-12")
    quarantine_lot(by=d.pharmacist, lot=d.f05, reason="temperature excursion")

    assert scan(d, session, barcode(GTIN_20, d.g20.expiry_date, "G20A")).refusal.startswith(
        "Recalled: lot G20A"
    )
    assert scan(d, session, barcode(GTIN_5, d.f05.expiry_date, "F05A")).refusal.startswith("In quarantine")


def test_it_accepts_wedge_scans_and_typed_lots_but_not_more_vials_than_dispensed(
    dispensed_order, session, settings
):
    d = dispensed_order
    settings.IVIG_GS1_SEPARATOR_REPLACEMENT = "|"

    wedge = scan(d, session, barcode(GTIN_20, d.g20.expiry_date, "G20A", "|"))
    same_vial = scan(d, session, barcode(GTIN_20, d.g20.expiry_date, "G20A", "|"))
    typed = scan(d, session, lot_number="f05a", expiry_date=d.f05.expiry_date)
    one_too_many = scan(d, session, lot_number="F05A", expiry_date=d.f05.expiry_date)

    assert wedge.accepted and wedge.serial == "SERG20A" and wedge.lot == d.g20
    assert same_vial.refusal == "This vial (serial SERG20A) was already scanned."
    assert typed.accepted and typed.entry == "typed" and typed.lot == d.f05
    assert one_too_many.refusal.startswith("All 1 vial(s) of lot F05A dispensed")
    with pytest.raises(InfusionError, match="Scan the vial, or type"):
        scan(d, session)


def test_it_does_not_start_the_pump_until_every_vial_is_scanned(dispensed_order, session, fixed_clock):
    d = dispensed_order
    session = confirmed(d, session)
    scan(d, session, barcode(GTIN_20, d.g20.expiry_date, "G20A"))

    with pytest.raises(InfusionError, match=r"still needed 1 × 5 g"):
        Pump.of(d, session).start()

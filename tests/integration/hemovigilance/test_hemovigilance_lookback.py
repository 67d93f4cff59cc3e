"""Recall lookback on generated dispensings: every recipient of a lot is found, nobody else, with dates and
grams; a lot number shared by two products is narrowed by GTIN; a new source (the flowsheet's infusions,
partly used vials) joins through the extension point."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ivig.hemovigilance import lookback as lookback_module
from ivig.hemovigilance.lookback import Recipient, find_lots, lookback, lookback_by_number, register_source
from ivig.inventory.models import Lot, StockProduct
from ivig.orders.models import DispensedLot
from ivig.orders.pharmacy import dispense_order
from tests.drivers.orders import verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispensed(make_user, make_order, make_patient, make_lot):
    """Ten patients, one to three orders each, vials picked at random from three 20 g and two 5 g lots."""
    prescriber, pharmacist = make_user("Prescriber"), make_user("Pharmacist")
    twenties = [make_lot(pharmacist, lot_number=f"T20-{n}", vials=40, vial_size_g="20") for n in range(3)]
    fives = [make_lot(pharmacist, lot_number=f"F05-{n}", vials=40, vial_size_g="5") for n in range(2)]
    steps = random.Random(7)
    truth: dict[int, set[int]] = {lot.pk: set() for lot in twenties + fives}
    for n in range(10):
        patient = make_patient(
            prescriber, mrn=f"LB{n:04d}", given_name=f"Kid{n}", weight_kg="25", height_cm=None
        )
        courses = steps.randint(1, 3)
        for k in range(courses):
            order = make_order(prescriber, patient=patient)
            verify(order, by=pharmacist)
            picks = []
            for lots in (twenties, fives):  # two 20 g and two 5 g vials, from one or two lots
                first, second = steps.sample(lots, 2)
                split = steps.choice([2, 1])
                picks += [(first, split)] + ([(second, 2 - split)] if split < 2 else [])
            order = dispense_order(by=pharmacist, order=order, picks=picks)
            # A month apart, oldest first: courses dispensed together would pass the 28-day ceiling.
            order.dispensed_at = timezone.now() - timedelta(days=30 * (courses - k))
            order.save(update_fields=["dispensed_at"])
            for lot, _vials in picks:
                truth[lot.pk].add(patient.pk)
    return twenties, fives, truth


def test_it_finds_every_recipient_of_a_lot_and_nobody_else(dispensed):
    twenties, fives, truth = dispensed

    for lot in twenties + fives:
        found = lookback_by_number(lot.lot_number.lower())  # typed in lower case: still found

        assert [found_lot.pk for found_lot in found.lots] == [lot.pk]
        assert {p.first.patient_id for p in found.patients} == truth[lot.pk]
        rows = DispensedLot.objects.filter(lot=lot)
        assert len(found.recipients) == rows.count()
        assert found.vials == sum(row.quantity_vials for row in rows)
        assert found.grams == found.vials * lot.product.vial_size_g
        for recipient in found.recipients:
            assert recipient.when is not None and recipient.reference.startswith("IG-")


def test_it_sorts_receipts_by_patient_then_date(dispensed):
    twenties, _fives, _truth = dispensed

    found = lookback_by_number(twenties[0].lot_number)

    keys = [(r.family_name, r.given_name, r.mrn, r.when) for r in found.recipients]
    assert keys == sorted(keys)
    for patient in found.patients:
        assert len({r.patient_id for r in patient.receipts}) == 1


def test_it_narrows_a_shared_lot_number_by_gtin(make_user, make_lot):
    pharmacist = make_user("Pharmacist")
    privigen = make_lot(pharmacist, lot_number="SAME1", vials=2)
    gamunex = make_lot(pharmacist, lot_number="SAME1", vials=2, catalog_slug="gamunex-c", vial_size_g="5")
    StockProduct.objects.filter(pk=gamunex.product_id).update(gtin="02000000000022")
    Lot.objects.filter(pk=gamunex.pk).update(gtin="02000000000022")

    assert {lot.pk for lot in find_lots("same1")} == {privigen.pk, gamunex.pk}
    assert [lot.pk for lot in find_lots("SAME1", "02000000000022")] == [gamunex.pk]
    assert find_lots("NOPE") == []
    assert lookback([]).recipients == []


class PartVialSource:
    """What the flowsheet will add: a home infusion that used part of a vial."""

    label = "Home infusion (test)"

    def __init__(self, patient, lot):
        self.patient, self.lot = patient, lot

    def recipients(self, lots):
        if self.lot.pk not in lots:
            return []
        return [
            Recipient(
                source=self.label,
                patient_id=self.patient.pk,
                mrn=self.patient.mrn,
                given_name=self.patient.given_name,
                family_name=self.patient.family_name,
                date_of_birth=self.patient.date_of_birth,
                care_site="",
                site_phone="",
                when=None,
                lot_id=self.lot.pk,
                vials=1,
                grams=Decimal("3.5"),
                reference="Infusion 1",
                order_id=None,
                status="Given",
            )
        ]


def test_it_joins_recipients_from_a_registered_source(dispensed, make_user, make_patient, monkeypatch):
    twenties, _fives, truth = dispensed
    home_patient = make_patient(make_user("Nurse"), mrn="HOME01", family_name="Zed")
    monkeypatch.setattr(lookback_module, "SOURCES", list(lookback_module.SOURCES))
    before = len(lookback_module.SOURCES)

    register_source(PartVialSource(home_patient, twenties[0]))
    found = lookback_by_number(twenties[0].lot_number)

    assert {p.first.patient_id for p in found.patients} == truth[twenties[0].pk] | {home_patient.pk}
    home = [r for r in found.recipients if r.source == "Home infusion (test)"]
    assert [(r.mrn, r.grams) for r in home] == [("HOME01", Decimal("3.5"))]
    register_source(PartVialSource(home_patient, twenties[0]))  # the same label again replaces it
    assert len(lookback_module.SOURCES) == before + 1

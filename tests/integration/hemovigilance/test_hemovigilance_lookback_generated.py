"""Acceptance (issue 7): on a generated history of a few hundred patients, the lookback finds exactly every
recipient of a lot - from dispensings, centre and home infusions, partly used vials - by lot number and by
GTIN and lot, compared with a brute-force count made while the data was generated.

The history has lots shared by many patients, decoy lots whose numbers look alike (R100, R1000, R100A), the
same lot number under another product and GTIN, vials dispensed but not scanned yet, vials a home nurse
scanned from her own stock, refused scans (never given), and infusions whose last vial was partly used and
the rest wasted (counted as wasted by the nurse).
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ivig.hemovigilance.lookback import lookback_by_number
from ivig.infusions.models import VialScan
from ivig.inventory.models import Location, Lot
from ivig.patients.models import Patient, search_key
from tests.factories.infusions import InfusionSessionFactory
from tests.factories.inventory import StockProductFactory
from tests.factories.orders import CompletedOrderFactory, dispensed_lot
from tests.factories.patients import CareSiteFactory

pytestmark = pytest.mark.django_db

PATIENTS = 300
CONCENTRATION_G_PER_ML = Decimal("0.1")  # Privigen and Gamunex-C are 10% solutions (clinical catalog)
RECALLED = "R100"
DECOYS = ("R1000", "R100A", "R10")


def _history(make_user):
    """Generate the history; return the lots and the truth: receipts by (patient, lot, event)."""
    steps = random.Random(2026)
    pharmacist, nurse, prescriber = make_user("Pharmacist"), make_user("Nurse"), make_user("Prescriber")
    products = {
        ("privigen", 20): StockProductFactory(vial_size_g=20, gtin="00000000000201"),
        ("privigen", 5): StockProductFactory(vial_size_g=5, gtin="00000000000052"),
        ("gamunex-c", 10): StockProductFactory(
            catalog_slug="gamunex-c", vial_size_g=10, gtin="00000000000109"
        ),
    }
    lots = []
    for number in (RECALLED, *DECOYS, "S1", "S2"):
        for product in (products[("privigen", 20)], products[("privigen", 5)]):
            lots.append(
                Lot(product=product, gtin=product.gtin, lot_number=number, expiry_date=date(2099, 1, 1))
            )
    # The recalled number again, under another product and GTIN: found by number, left out by GTIN.
    lots.append(
        Lot(
            product=products[("gamunex-c", 10)],
            gtin="00000000000109",
            lot_number=RECALLED,
            expiry_date=date(2099, 1, 1),
        )
    )
    lots = Lot.objects.bulk_create(lots)
    sites = [
        CareSiteFactory(name="North centre", phone="555-0101"),
        CareSiteFactory(name="Home team", kind="home", phone="555-0102"),
    ]
    patients = Patient.objects.bulk_create(
        Patient(
            mrn=f"G{n:05d}",
            given_name=f"Kid{n}",
            family_name=f"Fam{n % 37}",
            given_key=search_key(f"Kid{n}"),
            family_key=search_key(f"Fam{n % 37}"),
            date_of_birth=date(2010, 1, 1) + timedelta(days=n),
            sex_at_birth="female",
            care_site=sites[n % 2],
        )
        for n in range(PATIENTS)
    )
    pharmacy = Location.default()
    start = timezone.now() - timedelta(days=400)
    truth: dict[tuple[int, int, object], list] = defaultdict(lambda: [0, Decimal(0)])  # vials, grams
    sessions_plan = []
    for n, patient in enumerate(patients):
        for k in range(steps.randint(1, 3)):
            gamunex = n % 23 == 0
            pool = [
                lot for lot in lots if lot.product.catalog_slug == ("gamunex-c" if gamunex else "privigen")
            ]
            order = CompletedOrderFactory(
                patient=patient,
                product_slug=pool[0].product.catalog_slug,
                weight_kg=30,
                created_by=pharmacist,
                dispensed_at=start + timedelta(days=n + 30 * k),
                pharmacist=pharmacist,
                prescriber=prescriber,
                signed_at=start,
                verified_at=start,
            )
            picks = steps.sample(pool, min(len(pool), steps.randint(1, 3)))
            dispensed = {lot: steps.randint(1, 3) for lot in picks}
            for lot, vials in dispensed.items():
                dispensed_lot(order, lot, vials, location=pharmacy)
            sessions_plan.append((patient, order, dispensed))
    for number, (patient, order, dispensed) in enumerate(sessions_plan):
        scanned_per_lot: dict[int, int] = defaultdict(int)
        if number % 7 == 6:  # dispensed, not given yet (or given without scanning): found by the dispensing
            for lot, vials in dispensed.items():
                truth[(patient.pk, lot.pk, ("order", order.pk))][0] += vials
                truth[(patient.pk, lot.pk, ("order", order.pk))][1] += vials * lot.product.vial_size_g
            continue
        every = [lot for lot, count in dispensed.items() for _ in range(count)]
        steps.shuffle(every)
        days = [every[: len(every) // 2], every[len(every) // 2 :]] if number % 5 == 0 else [every]
        if number % 10 == 0:
            days[-1] = days[-1][:-1]  # one vial not scanned (yet)
        for day, vials in enumerate([vials for vials in days if vials], start=1):
            home = (number + day) % 3 == 0
            if home and number % 4 == 0:  # the nurse's own stock: a lot not dispensed for this order
                vials.append(steps.choice([lot for lot in lots if lot.product.catalog_slug != "gamunex-c"]))
            partly = number % 3 == 0  # the last vial partly used, the rest wasted
            sizes = [Decimal(lot.product.vial_size_g) for lot in vials]
            given = sum(sizes) - (sizes[-1] / 2 if partly else 0)
            running = number % 11 == 0 and day == 1  # still running: grams given not known yet
            session = InfusionSessionFactory(
                order=order,
                day_number=day,
                setting="home" if home else "centre",
                location="" if home else f"Chair {number % 6}",
                status="running" if running else "completed",
                volume_planned_ml=given / CONCENTRATION_G_PER_ML,
                started_by=nurse,
                started_at=order.dispensed_at + timedelta(days=day),
                ended_by=None if running else nurse,
                ended_at=None if running else order.dispensed_at + timedelta(days=day, hours=3),
                volume_given_ml=None if running else given / CONCENTRATION_G_PER_ML,
                vials_wasted=1 if partly and not running else 0,
            )
            scans = [
                VialScan(
                    session=session,
                    entry="scan",
                    gtin=lot.gtin,
                    lot_number=lot.lot_number,
                    lot=lot,
                    accepted=True,
                    scanned_by=nurse,
                    scanned_at=session.started_at - timedelta(minutes=30 - i),
                )
                for i, lot in enumerate(vials)
            ]
            # A refused scan of the recalled number: that vial was never given.
            scans.append(
                VialScan(
                    session=session,
                    entry="typed",
                    lot_number=RECALLED,
                    accepted=False,
                    refusal="Wrong lot",
                    scanned_by=nurse,
                    scanned_at=session.started_at,
                )
            )
            VialScan.objects.bulk_create(scans)
            for i, lot in enumerate(vials):
                key = (patient.pk, lot.pk, session.pk)
                truth[key][0] += 1
                last = i == len(vials) - 1
                truth[key][1] += sizes[i] if running or not (partly and last) else sizes[i] / 2
                scanned_per_lot[lot.pk] += 1
        for lot, count in dispensed.items():
            unscanned = count - scanned_per_lot[lot.pk]
            if unscanned > 0:  # still in the patient's fridge, or the nurse's bag: must be found too
                truth[(patient.pk, lot.pk, ("order", order.pk))][0] += unscanned
                truth[(patient.pk, lot.pk, ("order", order.pk))][1] += unscanned * lot.product.vial_size_g
    return lots, truth


def _found(number, gtin=None):
    found = lookback_by_number(number, gtin)
    rows = defaultdict(lambda: [0, Decimal(0)])
    for row in found.recipients:
        key = (row.patient_id, row.lot_id, row.session_id if row.session_id else ("order", row.order_id))
        rows[key][0] += row.vials
        rows[key][1] += row.grams
    return found, {key: tuple(value) for key, value in rows.items()}


def _expected(truth, lot_ids):
    return {key: tuple(value) for key, value in truth.items() if key[1] in lot_ids}


def test_it_finds_exactly_every_recipient_by_lot_and_by_gtin_and_lot(make_user):
    lots, truth = _history(make_user)
    by_number = defaultdict(set)
    for lot in lots:
        by_number[lot.lot_number].add(lot.pk)

    for number, lot_ids in by_number.items():
        found, rows = _found(number.lower())
        assert {lot.pk for lot in found.lots} == lot_ids
        assert rows == _expected(truth, lot_ids), number
        assert {p.first.patient_id for p in found.patients} == {key[0] for key in _expected(truth, lot_ids)}
        assert len(found.recipients) == len(rows), "one row per patient, lot and event"
    for lot in lots:
        found, rows = _found(lot.lot_number, lot.gtin)
        assert [found_lot.pk for found_lot in found.lots] == [lot.pk]
        assert rows == _expected(truth, {lot.pk})

    recalled = [lot for lot in lots if lot.lot_number == RECALLED and lot.product.catalog_slug == "privigen"]
    found = lookback_by_number(RECALLED, recalled[0].gtin)
    sources = {row.source for row in found.recipients}
    assert sources == {"Dispensed for an order + Infusion", "Infusion", "Dispensed for an order"}
    assert {row.setting.split(" (")[0] for row in found.recipients if row.session_id} == {
        "Home visit",
        "Centre chair",
    }
    assert any("partly used vial" in row.note for row in found.recipients)
    assert any("not scanned at an infusion" in row.note for row in found.recipients)
    assert all(row.care_site and row.site_phone and row.when for row in found.recipients)

"""Fixtures for the infusion flowsheet tests: a fixed server clock, a dispensed order with GTINs on file.

The bedside flows on top of them (checked_in, ready, running, Pump) are in tests/drivers/infusions.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from ivig import clock
from tests.drivers.infusions import GTIN_5, GTIN_20, GTIN_OTHER


@pytest.fixture
def fixed_clock() -> Iterator[SimpleNamespace]:
    """The server clock at 08:00 today (local); `advance(minutes=...)` moves it on."""
    start = timezone.make_aware(datetime.combine(date.today(), time(8, 0)))
    clock.set_now(start)
    yield SimpleNamespace(start=start, advance=clock.advance, now=clock.now, set=clock.set_now)
    clock.reset()


@pytest.fixture
def dispensed_order(
    make_user: Callable[..., Any], make_order: Callable[..., Any], make_lot: Callable[..., Any]
) -> Any:
    """Privigen ITP 1 g/kg x 2 days for a 25 kg child, dispensed: 2 x 20 g (G20A) and 2 x 5 g (F05A, OLD05).

    OLD05 expired yesterday (dispensed last week); OTHER20 is in stock but not dispensed for the order.
    """
    from ivig.inventory.actions import register_product
    from tests.drivers.orders import verify_and_dispense

    prescriber = make_user("Prescriber", "dr-okafor")
    pharmacist = make_user("Pharmacist", "ph-lindqvist")
    nurse = make_user("Nurse", "rn-ade")
    today = date.today()
    register_product(by=pharmacist, catalog_slug="privigen", vial_size_g=Decimal("20"), gtin=GTIN_20)
    register_product(by=pharmacist, catalog_slug="privigen", vial_size_g=Decimal("5"), gtin=GTIN_5)
    register_product(by=pharmacist, catalog_slug="gamunex-c", vial_size_g=Decimal("10"), gtin=GTIN_OTHER)
    # GS1 expiry years are two digits (within 49 years ahead), so these lots expire in a year, not in 2099.
    in_a_year = today + timedelta(days=365)
    g20 = make_lot(pharmacist, lot_number="G20A", vials=4, vial_size_g="20", expiry_date=in_a_year)
    f05 = make_lot(pharmacist, lot_number="F05A", vials=4, vial_size_g="5", expiry_date=in_a_year)
    old = make_lot(
        pharmacist,
        lot_number="OLD05",
        vials=2,
        vial_size_g="5",
        expiry_date=today - timedelta(days=1),
        received_on=today - timedelta(days=20),
    )
    other = make_lot(pharmacist, lot_number="OTHER20", vials=3, vial_size_g="20", expiry_date=in_a_year)
    gamunex = make_lot(
        pharmacist,
        lot_number="GAM10",
        vials=3,
        vial_size_g="10",
        catalog_slug="gamunex-c",
        expiry_date=in_a_year,
    )
    order = make_order(prescriber, premedication="Paracetamol 375 mg PO 30 min before")
    verify_and_dispense(
        order, by=pharmacist, picks=[(g20, 2), (f05, 1), (old, 1)], today=today - timedelta(days=7)
    )
    order.refresh_from_db()
    return SimpleNamespace(
        order=order,
        prescriber=prescriber,
        pharmacist=pharmacist,
        nurse=nurse,
        g20=g20,
        f05=f05,
        old=old,
        other=other,
        gamunex=gamunex,
        today=today,
    )

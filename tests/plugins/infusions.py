"""Fixtures for the infusion flowsheet tests: a fixed server clock, a dispensed order with GTINs on file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from ivig import clock


def gtin14(body: str) -> str:
    """Append the GS1 check digit to 13 digits."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


GTIN_20 = gtin14("0200000000002")
GTIN_5 = gtin14("0200000000005")
GTIN_OTHER = gtin14("0200000000009")  # Gamunex-C 10 g: another product


def barcode(gtin: str, expiry: date, lot: str, separator: str = "") -> str:
    """The human-readable form, or the raw element string with a separator when one is given."""
    if separator:
        return f"01{gtin}17{expiry:%y%m%d}10{lot}{separator}21SER{lot}"
    return f"(01){gtin}(17){expiry:%y%m%d}(10){lot}"


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
    from ivig.demo.orders import acknowledged_codes
    from ivig.inventory.actions import register_product
    from ivig.orders.pharmacy import dispense_order, verify_order

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
    verify_order(
        by=pharmacist,
        order=order,
        weight_kg=Decimal("25"),
        dose_confirmed=True,
        acknowledged=acknowledged_codes(order),
    )
    order.refresh_from_db()
    dispense_order(
        by=pharmacist, order=order, picks=[(g20, 2), (f05, 1), (old, 1)], today=today - timedelta(days=7)
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


def checked_in(
    d: Any,
    *,
    weight: str = "25.4",
    setting: str = "centre",
    day_number: int | None = None,
    weight_confirmed: bool = False,
) -> Any:
    """A session with the patient identified, its checklist filled and baseline vitals, not yet confirmed."""
    from ivig.infusions import actions, identity

    session = actions.start_session(by=d.nurse, order=d.order, setting=setting, day_number=day_number)
    identity.scan_wristband(by=d.nurse, session=session, text=d.order.patient.mrn)
    session.refresh_from_db()
    session = actions.save_checklist(
        by=d.nurse,
        session=session,
        expected_version=session.version,
        fields={
            "consent_confirmed": True,
            "weight_today_kg": Decimal(weight),
            "weight_confirmed": weight_confirmed,
            "hydration": "oral fluids",
            "premedication_given_at": clock.now(),
            "iv_access": "L forearm 24G",
        },
    )
    actions.record_vitals(
        by=d.nurse, session=session, taken_at=clock.now(), heart_rate=96, systolic=104, diastolic=66
    )
    session.refresh_from_db()
    return session


def ready(d: Any, **kwargs: Any) -> Any:
    """A confirmed session with today's vials (G20A and F05A) scanned."""
    from ivig.infusions import actions, scanning

    session = checked_in(d, **kwargs)
    session = actions.confirm_checklist(by=d.nurse, session=session, expected_version=session.version)
    for gtin, lot in ((GTIN_20, d.g20), (GTIN_5, d.f05)):
        scan = scanning.scan_vial(
            by=d.nurse, session=session, text=barcode(gtin, lot.expiry_date, lot.lot_number)
        )
        assert scan.accepted, scan.refusal
    session.refresh_from_db()
    return session


def running(d: Any, **kwargs: Any) -> Any:
    """A session running at the plan's first rate (7.5 mL/h) from the clock's now."""
    from ivig.infusions import pump

    session = ready(d, **kwargs)
    pump.start_infusion(
        by=d.nurse,
        session=session,
        expected_version=session.version,
        at=clock.now(),
        rate_ml_per_h=Decimal("7.5"),
    )
    session.refresh_from_db()
    return session

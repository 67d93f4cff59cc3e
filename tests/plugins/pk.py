"""Fixtures for pharmacokinetics: a patient with IgG levels."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest


@pytest.fixture
def make_pk_patient(
    db: None, make_patient: Callable[..., Any], make_lot: Callable[..., Any]
) -> Callable[..., Any]:
    """A PI patient with a year of dispensed orders (every 4 weeks) and 3 IgG levels.

    The orders go through the real lifecycle (sign, verify, dispense); only their dispensing time is moved
    back afterwards, since the pharmacy records "now". Level 3 is the IgG on every order (the criteria ask
    for it); levels 1 (before the first dose) and 2 are typed in.
    """
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from ivig.demo.orders import give_caution_reasons
    from ivig.orders import actions
    from ivig.orders.models import TherapyOrder
    from ivig.patients.lab_actions import check_lab_value, record_lab_results
    from tests.drivers.orders import verify_and_dispense

    def make(
        prescriber: Any,
        pharmacist: Any,
        *,
        levels: tuple[tuple[int, str], ...] = ((-370, "3.2"), (-190, "7.4"), (-10, "7.9")),
        orders: int = 13,
        dose_g_per_kg: str = "0.4",
        weight_kg: str = "70",
        mrn: str | None = None,
    ) -> Any:
        today = timezone.localdate()
        patient = make_patient(
            prescriber,
            mrn=mrn,
            given_name="Pat",
            family_name="Kinetics",
            weight_kg=weight_kg,
            height_cm="175",
        )
        for size in ("5", "10", "20"):
            make_lot(pharmacist, lot_number=f"PK{size}", vials=60, vial_size_g=size)
        last_day, last_value = levels[-1]
        for k in range(orders):
            draft = actions.save_draft(
                by=prescriber,
                patient=patient,
                fields={
                    "regimen": "pi",
                    "route": "iv",
                    "product_slug": "privigen",
                    "dose_g_per_kg": Decimal(dose_g_per_kg),
                    "repeat_interval_weeks": 4,
                    "weight_kg": Decimal(weight_kg),
                    "height_cm": Decimal("175"),
                    "labs": {
                        "igg": {"value": last_value, "taken_on": (today + timedelta(last_day)).isoformat()}
                    },
                    "screening": {},
                    "justification": "Primary immunodeficiency on replacement",
                },
            )
            draft = give_caution_reasons(prescriber, draft, today)
            order = actions.sign_order(by=prescriber, order=draft, overlap_acknowledged=True)  # a history
            verify_and_dispense(order, by=pharmacist, today=today)
            given = today - timedelta(days=364 - 28 * k)
            at = timezone.make_aware(datetime.combine(given, time(9, 30)))
            TherapyOrder.objects.filter(pk=order.pk).update(dispensed_at=at)
        entries = [
            check_lab_value(
                patient=patient, kind="igg", value=Decimal(v), unit="g/L", taken_on=today + timedelta(days=d)
            )
            for d, v in levels[:-1]
        ]
        record_lab_results(by=prescriber, entries=entries)
        return patient

    return make


@pytest.fixture
def prescriber_and_pk_patient(
    client: Any, make_user: Callable[..., Any], make_pk_patient: Callable[..., Any]
) -> Any:
    """The prescriber signed in, and their PI patient with a year of orders and IgG levels."""
    prescriber = make_user("Prescriber")
    patient = make_pk_patient(prescriber, make_user("Pharmacist"))
    client.force_login(prescriber)
    return prescriber, patient

"""Fixtures for conservation: a PI patient on Privigen every 4 weeks, and proposals for the order."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest


@pytest.fixture
def prescriber(make_user: Callable[..., Any]) -> Any:
    return make_user("Prescriber")


@pytest.fixture
def pharmacist(make_user: Callable[..., Any]) -> Any:
    return make_user("Pharmacist")


@pytest.fixture
def pi_order(prescriber: Any, make_patient: Callable[..., Any], make_order: Callable[..., Any]) -> Any:
    """A signed order: PI, Privigen 0.4 g/kg every 4 weeks, a 70 kg adult (not a first infusion)."""
    today = date.today()
    patient = make_patient(
        prescriber, given_name="Omar", family_name="Haddad", weight_kg="70", height_cm="175"
    )
    return make_order(
        prescriber,
        patient=patient,
        regimen="pi",
        dose_g_per_kg=Decimal("0.4"),
        days=1,
        weight_kg=Decimal("70"),
        height_cm=Decimal("175"),
        repeat_interval_weeks=4,
        labs={"igg": {"value": "6.0", "taken_on": today.isoformat()}},
        screening={"first_infusion": False, "weeks_since_last_infusion": 4},
        justification="Primary immunodeficiency, maintenance",
    )


@pytest.fixture
def make_proposal(db: None) -> Callable[..., Any]:
    """A draft proposal for an order, as `propose_for` makes from the clinical core's measures."""
    from ivig.conservation.models import ConservationProposal

    def make(order: Any, kind: str, *, by: Any, saved: str = "8.00", **changes: Any) -> Any:
        return ConservationProposal.objects.create(
            patient=order.patient,
            source_order=order,
            kind=kind,
            current_g_per_12_weeks=Decimal("28.00"),
            proposed_g_per_12_weeks=Decimal("28.00") - Decimal(saved),
            grams_saved_per_12_weeks=Decimal(saved),
            rationale="test measure",
            created_by=by,
            **changes,
        )

    return make

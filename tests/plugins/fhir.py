"""FHIR API fixtures: tokens, a GET helper, and a clinic with orders in every state."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from tests.drivers.orders import require_approval


@pytest.fixture
def make_token(db: None) -> Callable[..., str]:
    """Make an API token for a user (through the action) and return its secret."""
    from ivig.fhir.tokens import create_token

    def make(user: Any, name: str = "Test system") -> str:
        _token, secret = create_token(by=user, user=user, name=name)
        return secret

    return make


@pytest.fixture
def fhir(client: Any) -> Callable[..., Any]:
    """GET an API path (relative to /fhir/) with a bearer token; the response gains a .data attribute."""

    def get(path: str, token: str | None = None, **params: Any) -> Any:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        response = client.get(f"/fhir/{path}", params, **headers)
        if response.get("Content-Type", "").startswith("application/fhir+json"):
            response.data = json.loads(response.content)
        return response

    return get


@pytest.fixture
def clinic(
    make_user: Callable[..., Any],
    make_patient: Callable[..., Any],
    make_order: Callable[..., Any],
    make_dispensed_order: Callable[..., Any],
) -> dict[str, Any]:
    """Orders in every state that matters to FHIR: dispensed (with lots), signed, draft, cancelled,
    pharmacy chooses, subcutaneous, a revised version, awaiting approval, refused."""
    from django.utils import timezone

    from ivig.orders import actions
    from ivig.orders.models import TherapyOrder

    dispensed = make_dispensed_order()
    # Dispensed a month ago: a course dispensed today would count towards the 28-day ceiling (issue 16)
    # and stop the patient's other ITP orders below.
    TherapyOrder.objects.filter(pk=dispensed.pk).update(dispensed_at=timezone.now() - timedelta(days=29))
    dispensed.refresh_from_db()
    prescriber = dispensed.prescriber
    patient = dispensed.patient
    signed = make_order(prescriber, patient=patient)
    draft = make_order(prescriber, patient=patient, sign=False, premedication="Paracetamol 500 mg")
    cancelled = actions.cancel_order(
        by=prescriber, order=make_order(prescriber, patient=patient), reason="Platelets recovered"
    )
    chooses = make_order(prescriber, patient=patient, product_slug="")
    other = make_patient(prescriber, given_name="Oli", family_name="Other", mrn="OTHER1")
    sc = make_order(
        prescriber,
        patient=other,
        regimen="pi",
        route="sc",
        product_slug="hizentra",
        dose_g_per_kg=None,
        sc_dose_g=Decimal("10"),
        days=None,
        labs={"igg": {"value": "7.5", "taken_on": date.today().isoformat()}},
    )
    revised = actions.sign_order(
        by=prescriber, order=actions.revise_order(by=prescriber, order=signed), overlap_acknowledged=True
    )
    approver = make_user("Approver")
    require_approval(by=approver, approval_days=30, source="test")
    awaiting = make_order(prescriber, patient=patient)
    refused = make_order(prescriber, patient=patient)
    actions.decide_authorisation(by=approver, order=refused, approved=False, reason="Not indicated")
    return {
        "prescriber": prescriber,
        "patient": patient,
        "other": other,
        "orders": [dispensed, signed, draft, cancelled, chooses, sc, revised, awaiting, refused],
        "dispensed": dispensed,
    }

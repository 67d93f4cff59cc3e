"""An approver approves or refuses an order through the page; bad decisions give form errors, not changes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from ivig.audit.models import AuditEvent
from ivig.orders.models import Authorisation, TherapyOrder
from tests.drivers.orders import require_approval

pytestmark = pytest.mark.django_db


@pytest.fixture
def itp_needs_approval(make_user):
    """ITP version 2: platelets as before, approval for at most 90 days."""
    return require_approval(by=make_user("Quality", username="quality-lead"), approval_days=90)


@pytest.fixture
def awaiting(itp_needs_approval, make_user, make_order):
    order = make_order(make_user("Prescriber"))
    assert order.status == TherapyOrder.Status.AWAITING_APPROVAL
    return order


def _post(client, order, **data):
    return client.post(reverse("orders:decide", args=[order.pk]), data)


def test_it_shows_the_order_its_criteria_version_and_required_labs(client, make_user, awaiting):
    client.force_login(make_user("Approver"))

    response = client.get(reverse("orders:decide", args=[awaiting.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert awaiting.reference in page
    assert awaiting.patient.mrn in page
    assert "Immune thrombocytopenia (ITP) criteria v2" in page
    assert "site decision 2026-11" in page
    assert "Platelets (x10^9/L)" in page
    assert f"<td>12</td><td>{date.today().isoformat()}</td>" in page
    assert "Newly diagnosed ITP with bleeding" in page
    assert response.context["form"]["valid_until"].value() == date.today() + timedelta(days=90)


def test_it_approves_until_the_chosen_date(client, make_user, awaiting):
    approver = make_user("Approver")
    client.force_login(approver)
    until = date.today() + timedelta(days=60)

    response = _post(client, awaiting, decision="approve", reason="Meets criteria", valid_until=until)

    assert response.status_code == 302
    assert response.url == reverse("orders:detail", args=[awaiting.pk])
    awaiting.refresh_from_db()
    assert awaiting.status == TherapyOrder.Status.SIGNED
    decision = Authorisation.objects.get(order=awaiting)
    assert (decision.approved, decision.valid_until, decision.decided_by) == (True, until, approver)
    assert AuditEvent.objects.filter(action="order.approve", target_id=str(awaiting.pk)).exists()


def test_it_refuses_with_a_reason(client, make_user, awaiting):
    client.force_login(make_user("Quality"))

    response = _post(client, awaiting, decision="refuse", reason="Platelets above threshold", valid_until="")

    assert response.status_code == 302
    awaiting.refresh_from_db()
    assert awaiting.status == TherapyOrder.Status.REFUSED
    decision = Authorisation.objects.get(order=awaiting)
    assert (decision.approved, decision.valid_until, decision.reason) == (
        False,
        None,
        "Platelets above threshold",
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"decision": "approve", "reason": "ok", "valid_until": date.today() + timedelta(days=91)},
            "valid_until",
            "allow an authorisation until",
        ),
        (
            {"decision": "approve", "reason": "ok", "valid_until": date.today() - timedelta(days=1)},
            "valid_until",
            "in the past",
        ),
        ({"decision": "approve", "reason": "ok", "valid_until": "31/31/2026"}, "valid_until", "YYYY-MM-DD"),
        ({"decision": "approve", "reason": "ok", "valid_until": ""}, "valid_until", "Enter the date"),
        ({"decision": "approve", "reason": "   ", "valid_until": date.today()}, "reason", "Give the reason"),
        ({"reason": "ok"}, "decision", "Choose approve or refuse"),
    ],
)
def test_it_refuses_a_bad_decision_with_a_form_error(client, make_user, awaiting, data, field, message):
    client.force_login(make_user("Approver"))

    response = _post(client, awaiting, **data)

    assert response.status_code == 422
    assert message in " ".join(response.context["form"].errors[field])
    awaiting.refresh_from_db()
    assert awaiting.status == TherapyOrder.Status.AWAITING_APPROVAL
    assert not Authorisation.objects.exists()


def test_it_refuses_a_prescriber_without_approval_rights(client, make_user, awaiting):
    client.force_login(awaiting.prescriber)

    response = _post(client, awaiting, decision="approve", reason="mine", valid_until=date.today())

    assert response.status_code == 403
    assert not Authorisation.objects.exists()


def test_it_refuses_the_prescriber_deciding_on_their_own_order(
    client, make_user, make_order, itp_needs_approval
):
    doctor = make_user("Prescriber", username="doctor-on-panel")
    doctor.groups.add(Group.objects.get(name="Approver"))  # sits on the panel and prescribes too
    order = make_order(doctor)
    client.force_login(doctor)

    page = client.get(reverse("orders:decide", args=[order.pk])).content.decode()
    response = _post(client, order, decision="approve", reason="mine", valid_until=date.today())

    assert "another approver must decide" in page
    assert response.status_code == 422
    assert "You signed this order: another approver must decide on it." in response.content.decode()
    order.refresh_from_db()
    assert order.status == TherapyOrder.Status.AWAITING_APPROVAL
    assert not Authorisation.objects.exists()


@pytest.mark.parametrize("role", ["Pharmacist", "Nurse", "Admin"])
def test_it_gives_403_to_users_who_cannot_approve(client, make_user, awaiting, role):
    client.force_login(make_user(role))

    response = _post(client, awaiting, decision="approve", reason="ok", valid_until=date.today())

    assert response.status_code == 403
    assert not Authorisation.objects.exists()


def test_it_refuses_a_second_decision(client, make_user, awaiting):
    client.force_login(make_user("Approver"))
    _post(client, awaiting, decision="approve", reason="ok", valid_until=date.today())

    page = client.get(reverse("orders:decide", args=[awaiting.pk])).content.decode()
    response = _post(client, awaiting, decision="refuse", reason="changed my mind")

    assert "not awaiting approval" in page
    assert response.status_code == 422
    assert "is not awaiting approval" in response.content.decode()
    assert Authorisation.objects.count() == 1

"""Issue 20: a draft the shortage phase asks to wait is recorded as deferred (once per draft and declaration),
survives the refused signature, and shows on the order page; a black-category refusal is not a deferral."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from ivig.audit.models import AuditEvent
from ivig.orders import actions
from ivig.orders.actions import OrderError, OrderWaits
from ivig.orders.models import OrderDeferral, TherapyOrder
from ivig.siteconfig.shortage_actions import assign_category, declare_phase
from tests.drivers.orders import order_data, with_reasons

pytestmark = pytest.mark.django_db

WHY = "Supplier allocation cut to half for the next six weeks"


def _shortage(admin, phase, category):
    assign_category(by=admin, indication="itp", category=category, source="site demo list 2026-12")
    declare_phase(by=admin, phase=phase, reason=WHY)


def _try_to_sign(prescriber, order, error=OrderWaits):
    with pytest.raises(error, match="cannot be signed"):
        actions.sign_order(by=prescriber, order=order, overlap_acknowledged=True)


def test_it_records_a_wait_once_and_signs_nothing(make_user, make_order):
    admin, prescriber = make_user("Admin"), make_user("Prescriber")
    _shortage(admin, "amber", "grey")
    order = make_order(prescriber, sign=False)
    _try_to_sign(prescriber, order)
    _try_to_sign(prescriber, order)  # the prescriber clicks sign again: still one deferral
    [deferral] = OrderDeferral.objects.all()
    assert (deferral.order, deferral.deferred_by) == (order, prescriber)
    assert (deferral.phase, deferral.category, deferral.indication, deferral.decision) == (
        "amber",
        "grey",
        "itp",
        "wait",
    )
    assert "orders wait while this phase lasts" in deferral.message
    order.refresh_from_db()
    assert order.status == TherapyOrder.Status.DRAFT
    assert order.signed_at is None and order.signed_plan is None
    assert AuditEvent.objects.filter(action="order.deferred").count() == 1
    assert not AuditEvent.objects.filter(action="order.sign").exists()


def test_it_records_a_new_deferral_under_a_new_declaration(make_user, make_order):
    admin, prescriber = make_user("Admin"), make_user("Prescriber")
    _shortage(admin, "amber", "grey")
    order = make_order(prescriber, sign=False)
    _try_to_sign(prescriber, order)
    declare_phase(by=admin, phase="red", reason=WHY)
    _try_to_sign(prescriber, order)
    assert list(OrderDeferral.objects.order_by("id").values_list("phase", flat=True)) == ["amber", "red"]


def test_it_does_not_count_a_black_category_refusal_as_deferred(make_user, make_order):
    admin, prescriber = make_user("Admin"), make_user("Prescriber")
    _shortage(admin, "amber", "black")
    order = make_order(prescriber, sign=False)
    with pytest.raises(OrderError, match="not prescribed") as refused:
        actions.sign_order(by=prescriber, order=order, overlap_acknowledged=True)
    assert not isinstance(refused.value, OrderWaits)
    assert not OrderDeferral.objects.exists()


def test_it_shows_the_deferral_on_the_draft_page(client, make_user, make_order):
    admin, prescriber = make_user("Admin"), make_user("Prescriber")
    _shortage(admin, "red", "grey")
    order = make_order(prescriber, sign=False)
    client.force_login(prescriber)
    response = client.post(reverse("orders:sign", args=[order.pk]), {"acknowledge_overlap": "on"})
    assert response.status_code == 302
    page = client.get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert 'data-testid="deferred"' in page
    assert f"Deferred on {date.today():%Y-%m-%d} in shortage phase Red (Grey (low priority))" in page


def test_it_keeps_the_draft_and_its_deferral_from_save_and_sign(client, make_user, make_patient):
    admin, prescriber = make_user("Admin"), make_user("Prescriber")
    _shortage(admin, "amber", "grey")
    today = date.today()
    patient = make_patient(
        prescriber,
        given_name="Mia",
        date_of_birth=date(today.year - 8, 1, 15),
        weight_kg="25",
        height_cm=None,
    )
    client.force_login(prescriber)
    data = with_reasons(client, order_data(patient, then="sign"))
    response = client.post(reverse("orders:new", args=[patient.pk]), data)
    order = TherapyOrder.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("orders:detail", args=[order.pk])
    assert order.status == TherapyOrder.Status.DRAFT
    assert OrderDeferral.objects.get().order == order

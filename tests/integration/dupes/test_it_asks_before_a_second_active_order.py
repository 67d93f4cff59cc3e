"""A second active order for the same patient is signed only with the prescriber's acknowledgement, kept."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from ivig.audit.models import AuditEvent
from ivig.demo.orders import give_caution_reasons
from ivig.orders import actions
from ivig.orders.models import TherapyOrder
from tests.drivers.orders import order_data, with_reasons

pytestmark = pytest.mark.django_db


@pytest.fixture
def first(client, make_user, make_order):
    prescriber = make_user("Prescriber")
    client.force_login(prescriber)
    return make_order(prescriber)


def test_the_order_form_refuses_a_second_active_order_without_the_box_ticked(client, first):
    url = reverse("orders:new", args=[first.patient.pk])
    page = client.get(url).content.decode()
    data = with_reasons(client, order_data(first.patient, then="sign"))

    refused = client.post(url, data)

    assert 'data-testid="overlap"' in page and first.reference in page
    assert refused.status_code == 422 and "already has an active order" in refused.content.decode()
    assert TherapyOrder.objects.filter(patient=first.patient).count() == 1  # no half-made draft either


def test_a_ticked_box_signs_it_and_keeps_the_acknowledgement(client, first):
    url = reverse("orders:new", args=[first.patient.pk])
    data = with_reasons(client, order_data(first.patient, then="sign", acknowledge_overlap="on"))

    response = client.post(url, data)

    second = TherapyOrder.objects.exclude(pk=first.pk).get(patient=first.patient)
    assert response.status_code == 302 and second.status == TherapyOrder.Status.SIGNED
    kept = second.signed_plan["overlap_acknowledged"]
    assert [(o["id"], o["reference"], o["status"]) for o in kept] == [(first.pk, first.reference, "signed")]
    event = AuditEvent.objects.get(action="order.overlap_acknowledged")
    assert event.target_id == str(second.pk) and first.reference in event.summary


def test_signing_a_draft_from_its_page_asks_too(client, first):
    prescriber = first.prescriber
    draft = actions.save_draft(by=prescriber, patient=first.patient, fields=_fields(first))
    draft = give_caution_reasons(prescriber, draft, timezone.localdate(first.signed_at))
    url = reverse("orders:sign", args=[draft.pk])

    assert (
        'name="acknowledge_overlap"' in client.get(reverse("orders:detail", args=[draft.pk])).content.decode()
    )
    client.post(url, follow=True)
    draft.refresh_from_db()
    assert draft.status == TherapyOrder.Status.DRAFT
    client.post(url, {"acknowledge_overlap": "on"})
    draft.refresh_from_db()
    assert draft.status == TherapyOrder.Status.SIGNED


def test_a_new_version_or_a_finished_order_is_no_overlap(first):
    prescriber = first.prescriber
    draft = actions.revise_order(by=prescriber, order=first)
    assert actions.overlapping_orders(first.patient, draft) == []
    newer = actions.sign_order(by=prescriber, order=draft)  # replaces the first: no acknowledgement needed
    assert newer.signed_plan["overlap_acknowledged"] == []
    actions.cancel_order(by=prescriber, order=newer, reason="course not needed")
    assert actions.overlapping_orders(first.patient) == []


def _fields(order):
    return {name: getattr(order, name) for name in actions.ORDER_FIELDS} | {"caution_reasons": {}}

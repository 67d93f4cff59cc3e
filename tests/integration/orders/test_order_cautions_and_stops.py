"""Issue 16: a caution goes on only with the prescriber's real reason, acknowledged by the pharmacist one
by one; a stop refuses signing and verifying whatever is written; site limits change only with a source."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from ivig.audit.models import AuditEvent
from ivig.orders import actions
from ivig.orders.actions import OrderError
from ivig.orders.models import TherapyOrder
from ivig.orders.pharmacy import verify_order
from ivig.siteconfig.models import SiteSettings
from tests.drivers.orders import verify
from tests.drivers.siteconfig import settings_form

pytestmark = pytest.mark.django_db

REAL = "Refractory ITP after steroids: haematology advised a single larger dose"
# ITP 1.5 g/kg in one day: outside the regimen (a caution), under the 2 g/kg ceiling.
OUTSIDE_RANGE = {"dose_g_per_kg": Decimal("1.5"), "days": 1, "screening": {}}


def _draft(make_order, prescriber, **fields):
    return make_order(prescriber, sign=False, **(OUTSIDE_RANGE | fields))


def test_it_refuses_a_caution_with_the_reason_x_and_signs_with_a_real_one(make_user, make_order):
    prescriber = make_user("Prescriber")
    order = _draft(make_order, prescriber, caution_reasons={"dose-outside-range": "x"})
    with pytest.raises(OrderError, match=r"outside Immune thrombocytopenia.*'x' is not a reason"):
        actions.sign_order(by=prescriber, order=order)
    order = actions.save_draft(
        by=prescriber,
        patient=order.patient,
        fields={"caution_reasons": {"dose-outside-range": REAL}},
        order=order,
    )
    signed = actions.sign_order(by=prescriber, order=order)
    assert signed.status == TherapyOrder.Status.SIGNED
    assert [(c["code"], c["reason"]) for c in signed.signed_plan["cautions"]] == [
        ("dose-outside-range", REAL)
    ]


def test_it_refuses_to_sign_a_caution_with_no_reason_naming_it(make_user, make_order):
    prescriber = make_user("Prescriber")
    order = _draft(make_order, prescriber)
    with pytest.raises(OrderError, match=r"1\.5 g/kg over 1 day.*Give a reason"):
        actions.sign_order(by=prescriber, order=order)


def test_it_refuses_a_stop_whatever_reason_is_given(make_user, make_order):
    prescriber = make_user("Prescriber")
    reasons = dict.fromkeys(("above-daily-ceiling", "above-28-day-ceiling", "dose-outside-range"), REAL)
    order = make_order(
        prescriber, sign=False, dose_g_per_kg=Decimal("5"), days=2, screening={}, caution_reasons=reasons
    )
    with pytest.raises(OrderError, match=r"Stop: 5.00 g/kg in one day .*limit from highest labelled doses"):
        actions.sign_order(by=prescriber, order=order)
    order.refresh_from_db()
    assert order.status == TherapyOrder.Status.DRAFT


def test_it_verifies_only_once_each_caution_is_acknowledged(make_user, make_order):
    prescriber, pharmacist = make_user("Prescriber"), make_user("Pharmacist")
    order = make_order(prescriber, **OUTSIDE_RANGE, caution_reasons={"dose-outside-range": REAL})
    with pytest.raises(OrderError, match="Acknowledge each caution"):
        verify_order(by=pharmacist, order=order, weight_kg=Decimal("25"), dose_confirmed=True)
    verified = verify(order, by=pharmacist)
    assert verified.caution_acknowledgements["dose-outside-range"]["by"] == pharmacist.pk
    [caution] = verified.verified_plan["cautions"]
    assert caution["reason"] == REAL and caution["acknowledged_by"] == pharmacist.display_name
    event = AuditEvent.objects.filter(action="order.verify").latest("id")
    assert "dose-outside-range" in str(event.after)


def test_it_sends_back_a_caution_the_prescriber_gave_no_reason_for(make_user, make_order):
    prescriber, pharmacist = make_user("Prescriber"), make_user("Pharmacist")
    order = make_order(prescriber, **OUTSIDE_RANGE, caution_reasons={"dose-outside-range": REAL})
    # The signed reasons no longer cover the plan made now (say the pharmacy's product brings a caution).
    TherapyOrder.objects.filter(pk=order.pk).update(caution_reasons={})
    order.refresh_from_db()
    with pytest.raises(OrderError, match="Send the order back to the prescriber for a new version"):
        verify(order, by=pharmacist, acknowledged=["dose-outside-range"])


def test_the_verify_page_shows_the_reason_and_refuses_until_ticked(client, make_user, make_order):
    order = make_order(make_user("Prescriber"), **OUTSIDE_RANGE, caution_reasons={"dose-outside-range": REAL})
    client.force_login(make_user("Pharmacist"))
    url = reverse("orders:verify", args=[order.pk])
    page = client.get(url).content.decode()
    assert 'name="ack-dose-outside-range"' in page and REAL in page
    response = client.post(url, {"weight_kg": "25", "dose_confirmed": "on"})
    assert response.status_code == 422
    assert "Acknowledge each caution" in response.content.decode()
    response = client.post(url, {"weight_kg": "25", "dose_confirmed": "on", "ack-dose-outside-range": "on"})
    assert response.status_code == 302
    detail = client.get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert REAL in detail and 'data-testid="acknowledged"' in detail
    sheet = client.get(reverse("orders:sheet", args=[order.pk])).content.decode()
    assert f"reason: {REAL}; acknowledged by" in sheet


def test_it_shows_an_old_orders_single_override_reason(client, make_user, make_order):
    prescriber = make_user("Prescriber")
    order = make_order(prescriber)
    TherapyOrder.objects.filter(pk=order.pk).update(override_reason="Old-style reason for the whole order")
    client.force_login(prescriber)
    assert (
        "Old-style reason for the whole order"
        in client.get(reverse("orders:detail", args=[order.pk])).content.decode()
    )


def test_a_site_limit_change_needs_its_source_and_is_audited(client, make_user):
    client.force_login(make_user("Admin"))
    url = reverse("siteconfig:settings")
    response = client.post(url, settings_form(max_g_per_kg_per_day="1.5"))
    assert response.status_code == 422
    assert SiteSettings.load().max_g_per_kg_per_day == Decimal("2")
    source = "Drug and therapeutics committee, minute 2026-14"
    response = client.post(url, settings_form(max_g_per_kg_per_day="1.5", limits_source=source))
    assert response.status_code == 302
    settings = SiteSettings.load()
    assert settings.max_g_per_kg_per_day == Decimal("1.5") and settings.limits_source == source
    assert settings.dosing_settings().max_g_per_kg_per_day == 1.5
    event = AuditEvent.objects.filter(action="site_settings.update").latest("id")
    assert source in event.summary and event.after["limits_source"] == source


def test_a_site_limit_above_the_label_ceiling_is_refused(client, make_user):
    client.force_login(make_user("Admin"))
    data = settings_form(max_g_per_kg_per_day="2.5", limits_source="Local protocol for refractory cases")
    response = client.post(reverse("siteconfig:settings"), data)
    assert response.status_code == 422
    assert "label-derived ceiling" in response.content.decode()
    assert SiteSettings.load().max_g_per_kg_per_day == Decimal("2")


def test_only_an_admin_changes_the_limits(client, make_user):
    client.force_login(make_user("Pharmacist"))
    data = settings_form(max_g_per_kg_per_day="1", limits_source="An attempt without the right")
    assert client.post(reverse("siteconfig:settings"), data).status_code == 403
    assert SiteSettings.load().max_g_per_kg_per_day == Decimal("2")

"""A sent-back order reaches its prescriber (worklist, with the nurse's reason; optional e-mail) and no day of
it starts again until a new version is signed, which replaces it."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from ivig.demo.orders import give_caution_reasons
from ivig.infusions import actions
from ivig.infusions.events import InfusionError
from ivig.orders.actions import OrderError, can_revise, revise_order, sign_order
from ivig.orders.worklists import sections_for, sent_back_to_me
from tests.drivers.infusions import checked_in


def _send_back(d):
    session = checked_in(d, weight="27.6", weight_confirmed=True)  # 10.4 % above the order's 25 kg
    return actions.confirm_checklist(by=d.nurse, session=session, expected_version=session.version)


def test_it_puts_a_sent_back_order_on_its_prescribers_worklist_with_the_reason(
    dispensed_order, fixed_clock, client
):
    d = dispensed_order
    _send_back(d)

    sections = {s.key: s for s in sections_for(d.prescriber)}
    assert sections["sent_back"].total == 1
    (order,) = sections["sent_back"].orders
    assert order.pk == d.order.pk and "10.4 % from the order's 25.00 kg" in order.sent_back_reason
    client.force_login(d.prescriber)
    page = client.get(reverse("orders:worklist")).content.decode()
    assert "Sent back to me" in page and "10.4 % from the order" in page and d.order.reference in page


def test_it_refuses_to_start_any_day_of_a_sent_back_order(dispensed_order, fixed_clock, client):
    d = dispensed_order
    _send_back(d)

    with pytest.raises(InfusionError, match="sent back to the prescriber on day 1"):
        actions.start_session(by=d.nurse, order=d.order, setting="centre")
    with pytest.raises(InfusionError, match="new version is signed"):
        actions.start_session(by=d.nurse, order=d.order, setting="centre", day_number=2)

    client.force_login(d.nurse)
    listing = client.get(reverse("infusions:list"))
    assert d.order not in [order for order, _day in listing.context["ready"]]
    assert reverse("infusions:start", args=[d.order.pk]) not in listing.content.decode()
    start = client.get(reverse("infusions:start", args=[d.order.pk])).content.decode()
    assert "Open the flowsheet" not in start and "No day of this order starts" in start
    posted = client.post(reverse("infusions:start", args=[d.order.pk]), {"setting": "centre"})
    assert posted.status_code == 422 and d.order.infusion_sessions.count() == 1
    detail = client.get(reverse("orders:detail", args=[d.order.pk])).content.decode()
    assert "Start infusion" not in detail and "No day starts until a new version is signed" in detail


def test_it_lets_the_prescriber_replace_a_sent_back_order_with_a_new_version(dispensed_order, fixed_clock):
    d = dispensed_order
    assert not can_revise(d.order)  # dispensed and not sent back: it cannot be changed
    with pytest.raises(OrderError):
        revise_order(by=d.prescriber, order=d.order)
    _send_back(d)

    draft = revise_order(by=d.prescriber, order=d.order)
    draft.weight_kg = draft.weight_kg + 2
    draft.save()
    signed = sign_order(by=d.prescriber, order=give_caution_reasons(d.prescriber, draft, d.today))

    d.order.refresh_from_db()
    assert d.order.status == "cancelled" and signed.reference in d.order.cancel_reason
    assert not sent_back_to_me(d.prescriber).exists()


def test_it_e_mails_the_prescriber_when_the_site_allows(
    dispensed_order, fixed_clock, settings, django_capture_on_commit_callbacks
):
    d = dispensed_order
    settings.IVIG_EMAIL_NOTIFICATIONS = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    d.prescriber.email = "okafor@example.org"
    d.prescriber.save()

    with django_capture_on_commit_callbacks(execute=True):
        _send_back(d)

    (message,) = mail.outbox
    assert message.to == ["okafor@example.org"]
    assert d.order.reference in message.subject and "sent back" in message.subject
    assert "10.4 % from the order" in message.body
    assert reverse("orders:detail", args=[d.order.pk]) in message.body


@pytest.mark.parametrize("allowed, address", [(False, "okafor@example.org"), (True, "")])
def test_it_sends_no_e_mail_when_off_or_without_an_address(
    dispensed_order, fixed_clock, settings, django_capture_on_commit_callbacks, allowed, address
):
    d = dispensed_order
    settings.IVIG_EMAIL_NOTIFICATIONS = allowed
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    d.prescriber.email = address
    d.prescriber.save()

    with django_capture_on_commit_callbacks(execute=True):
        session = _send_back(d)

    assert session.status == "sent_back" and mail.outbox == []

"""Each role's home page shows today's work: a count and the first rows of each list, with a link to it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from ivig.followup.actions import start_follow_up
from ivig.infusions import actions
from ivig.orders.actions import decide_authorisation
from tests.drivers.infusions import checked_in
from tests.drivers.orders import require_approval, verify

pytestmark = pytest.mark.django_db


def _home(client, user):
    client.force_login(user)
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    panels = {panel.key: panel for panel in response.context["panels"]}
    return panels, response.content.decode()


def _send_back(d):
    session = checked_in(d, weight="27.6", weight_confirmed=True)  # 10.4 % above the order's 25 kg
    return actions.confirm_checklist(by=d.nurse, session=session, expected_version=session.version)


def test_it_shows_a_prescriber_the_order_sent_back_with_the_reason_and_their_drafts(
    client, dispensed_order, fixed_clock, make_order
):
    d = dispensed_order
    _send_back(d)
    make_order(d.prescriber, sign=False)

    panels, page = _home(client, d.prescriber)

    assert list(panels)[:4] == ["sent_back", "drafts", "awaiting", "renewals"]
    assert (panels["sent_back"].total, panels["drafts"].total, panels["awaiting"].total) == (1, 1, 0)
    (row,) = panels["sent_back"].rows
    assert row.url == reverse("orders:detail", args=[d.order.pk])
    assert "day 1 sent back by Test Nurse" in row.detail and "10.4 % from the order" in row.detail
    assert "10.4 % from the order" in page and reverse("orders:worklist") + "#sent_back" in page
    assert "verify" not in panels and "sessions" not in panels  # a prescriber's own work only


def test_it_shows_a_nurse_todays_infusions_what_may_start_and_who_to_call(
    client, dispensed_order, fixed_clock, make_dispensed_order
):
    d = dispensed_order
    _send_back(d)  # today's session, sent back: listed, but its order never offered to start
    other = make_dispensed_order()
    start_follow_up(by=d.nurse, order=other, ended_at=fixed_clock.now() - timedelta(hours=30))

    panels, page = _home(client, d.nurse)

    assert panels["sessions"].total == 1 and "Sent back" in panels["sessions"].rows[0].detail
    assert panels["ready"].total == 1
    (ready,) = panels["ready"].rows
    assert ready.url == reverse("infusions:start", args=[other.pk]) and ready.detail == "day 1 can start"
    assert reverse("infusions:start", args=[d.order.pk]) not in page
    assert panels["followup"].total == 1 and "no diary yet" in panels["followup"].rows[0].detail
    assert "schedule" in panels  # nurses see today's schedule too


def test_it_shows_a_pharmacist_orders_to_verify_and_dispense_and_stock_short_or_expiring(
    client, make_user, make_order, make_lot
):
    prescriber, pharmacist = make_user("Prescriber"), make_user("Pharmacist")
    make_order(prescriber)
    verified = make_order(prescriber)
    verify(verified, by=pharmacist)
    make_lot(pharmacist, lot_number="SOON", vials=3, expiry_date=date.today() + timedelta(days=10))

    panels, _page = _home(client, pharmacist)

    assert (panels["verify"].total, panels["dispense"].total) == (1, 1)
    stock = panels["stock"]
    short = [row for row in stock.rows if "needed by orders to dispense" in row.detail]
    assert short and all(row.alert for row in short)  # nothing of the verified product is in stock
    assert any("lot SOON" in row.label and "3 vial(s), expires" in row.detail for row in stock.rows)
    assert "sent_back" not in panels and "drafts" not in panels


def test_it_shows_an_approver_what_awaits_their_decision_and_e_mails_the_decision(
    client, make_user, make_order, settings, django_capture_on_commit_callbacks
):
    prescriber, approver = make_user("Prescriber"), make_user("Approver")
    require_approval(by=approver)
    waiting = make_order(prescriber)
    make_order(prescriber)

    panels, _page = _home(client, approver)
    assert list(panels) == ["decide"] and panels["decide"].total == 2
    assert panels["decide"].rows[0].url == reverse("orders:decide", args=[waiting.pk])

    settings.IVIG_EMAIL_NOTIFICATIONS = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    prescriber.email = "prescriber@example.org"
    prescriber.save()
    with django_capture_on_commit_callbacks(execute=True):
        decide_authorisation(by=approver, order=waiting, approved=False, reason="Platelets above 30")
    (message,) = mail.outbox
    assert message.to == ["prescriber@example.org"] and "refused" in message.subject
    assert "Platelets above 30" in message.body
    panels, _page = _home(client, approver)
    assert panels["decide"].total == 1


def test_it_shows_quality_the_adverse_events_to_review_and_todays_audit(
    client, make_user, flowsheet_reaction
):
    flowsheet_reaction(grade=2)
    quality = make_user("Quality", username="qa")

    panels, _page = _home(client, quality)

    assert panels["adverse_events"].total == 1
    assert panels["adverse_events"].rows[0].url.startswith("/hemovigilance/adverse-events/")
    assert panels["audit"].total > 0
    assert "decide" in panels  # Quality also decides on authorisations


def test_it_shows_a_scheduler_today_and_the_orders_to_book(client, make_user, make_order):
    scheduler = make_user("Scheduler")
    make_order(make_user("Prescriber"))

    panels, page = _home(client, scheduler)

    assert list(panels) == ["schedule", "to_book"]
    assert panels["schedule"].total == 0 and "Nothing booked today." in page
    assert panels["to_book"].total == 1


def test_it_shows_an_admin_a_summary(client, make_user):
    admin = make_user("Admin")

    panels, _page = _home(client, admin)

    summary = {row.label: row.detail for row in panels["summary"].rows}
    assert summary["Active users"] == "1" and "Patients" in summary

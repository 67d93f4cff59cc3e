"""The pre-infusion checklist: everything is needed, and a weight more than 10 % off the order's stops the
session and sends it back to the prescriber."""

from __future__ import annotations

import pytest

from ivig.audit.models import AuditEvent
from ivig.infusions import actions
from ivig.infusions.events import InfusionError
from tests.drivers.infusions import checked_in


def test_it_lists_what_is_missing_before_confirming(dispensed_order, fixed_clock):
    d = dispensed_order
    session = actions.start_session(by=d.nurse, order=d.order, setting="home")

    with pytest.raises(InfusionError) as refused:
        actions.confirm_checklist(by=d.nurse, session=session, expected_version=session.version)

    for missing in (
        "scan the wristband, or check two identifiers",
        "consent",
        "Weigh",
        "baseline vital signs",
        "hydration",
        "Premedication is ordered",
        "IV access",
    ):
        assert missing in str(refused.value)


def test_it_sends_back_a_weight_more_than_10_percent_off(dispensed_order, fixed_clock):
    d = dispensed_order
    session = checked_in(d, weight="27.6", weight_confirmed=True)  # 10.4 % above 25 kg, re-weighed

    session = actions.confirm_checklist(by=d.nurse, session=session, expected_version=session.version)

    assert session.status == "sent_back"
    assert "(confirmed by the nurse) is 10.4 % from the order's 25.00 kg" in session.sent_back_reason
    d.order.refresh_from_db()
    assert d.order.status == "dispensed"
    assert AuditEvent.objects.filter(action="order.infusion_sent_back", target_id=str(d.order.pk)).exists()
    assert d.order.patient.measurements.filter(
        weight_kg=session.weight_today_kg
    ).exists()  # kept in the chart
    with pytest.raises(InfusionError, match="sent back"):  # held until the prescriber signs a new version
        actions.start_session(by=d.nurse, order=d.order, setting="centre")


def test_it_accepts_a_weight_within_10_percent(dispensed_order, fixed_clock):
    d = dispensed_order
    session = checked_in(d, weight="27.5")  # exactly 10 %

    session = actions.confirm_checklist(by=d.nurse, session=session, expected_version=session.version)

    assert session.status == "ready" and session.checklist_by == d.nurse


def test_it_opens_one_session_per_day_of_a_dispensed_order(dispensed_order, fixed_clock, make_order):
    d = dispensed_order
    first = actions.start_session(by=d.nurse, order=d.order, setting="centre")
    second = actions.start_session(by=d.nurse, order=d.order, setting="centre")
    assert (first.day_number, second.day_number) == (1, 2)
    with pytest.raises(InfusionError, match="already has a session"):
        actions.start_session(by=d.nurse, order=d.order, setting="centre")
    signed = make_order(d.prescriber)
    with pytest.raises(InfusionError, match="only dispensed orders start"):
        actions.start_session(by=d.nurse, order=signed, setting="centre")

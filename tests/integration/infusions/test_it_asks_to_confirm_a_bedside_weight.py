"""Today's weight in kg or lb; a weight beyond the tolerance or implausible is asked before anything is saved,
and only a confirmed one reaches the chart or stops the session (issue 17: 36.4 typed for a 16.5 kg child)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ivig.infusions import actions, identity
from ivig.infusions.events import InfusionError
from tests.drivers.infusions import checked_in


@pytest.fixture
def session(dispensed_order, fixed_clock):
    d = dispensed_order
    session = actions.start_session(by=d.nurse, order=d.order, setting="centre")
    identity.scan_wristband(by=d.nurse, session=session, text=d.order.patient.mrn)
    session.refresh_from_db()
    return session


def autosave(client, session, **data):
    url = reverse("infusions:checklist", args=[session.pk])
    return client.post(url, {"version": session.version, **data}, HTTP_HX_REQUEST="true").content.decode()


def test_it_saves_a_weight_entered_in_pounds_as_kilograms(client, dispensed_order, session):
    client.force_login(dispensed_order.nurse)
    answer = autosave(client, session, weight="55.1", weight_unit="lb")

    session.refresh_from_db()
    assert "Saved" in answer
    assert session.weight_today_kg == Decimal("24.99") and session.weight_entered_unit == "lb"


def test_it_holds_back_a_typo_and_saves_the_rest(client, dispensed_order, session):
    d = dispensed_order
    client.force_login(d.nurse)
    measurements = d.order.patient.measurements.count()

    answer = autosave(client, session, weight="36.4", weight_unit="kg", hydration="drinking well")

    session.refresh_from_db()
    assert "Weight NOT saved" in answer and "45.6 % from the order&#x27;s 25 kg" in answer
    assert session.weight_today_kg is None and session.hydration == "drinking well"
    assert session.status == "checklist"
    assert d.order.patient.measurements.count() == measurements  # nothing in the chart


def test_the_action_refuses_an_unconfirmed_weight_off_the_order(dispensed_order, session):
    with pytest.raises(InfusionError, match="Re-weigh"):
        actions.save_checklist(
            by=dispensed_order.nurse,
            session=session,
            expected_version=session.version,
            fields={"weight_today_kg": Decimal("36.4")},
        )


def test_a_confirmed_weight_off_the_order_is_kept_for_the_stop_at_confirmation(
    client, dispensed_order, session
):
    client.force_login(dispensed_order.nurse)
    answer = autosave(client, session, weight="36.4", weight_unit="kg", weight_confirmed="on")
    session.refresh_from_db()
    assert "Saved" in answer and session.weight_today_kg == Decimal("36.4") and session.weight_confirmed


def test_it_warns_of_a_weight_implausible_against_the_last_one_within_the_order(dispensed_order, fixed_clock):
    d = dispensed_order
    # The chart's last weight is 25 kg; 25 kg lb-for-kg (55 typed as kg) is 2.2 times it.
    session = checked_in(d, weight="25.4")
    question = actions.weight_question(session, Decimal("55"))
    assert "2.20 times the last recorded weight (25 kg" in question


def test_confirming_the_checklist_asks_again_when_the_weight_needs_it(dispensed_order, fixed_clock):
    d = dispensed_order
    session = checked_in(d, weight="25.4")
    # The chart changed since (another device recorded 12 kg): 25.4 kg is now implausible, so it is asked.
    from ivig.patients.actions import record_measurement

    record_measurement(
        by=d.nurse,
        patient=d.order.patient,
        measured_at=timezone.now(),  # after the registration weight, so it is the last one
        weight_kg=Decimal("12"),
        height_cm=None,
    )
    with pytest.raises(InfusionError, match="Confirm today's weight"):
        actions.confirm_checklist(by=d.nurse, session=session, expected_version=session.version)
    session.refresh_from_db()
    assert session.status == "checklist"

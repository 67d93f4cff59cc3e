"""Guided titration: a rate above the label maximum is refused and changes nothing; anything off the plan
needs a reason; a step up needs recent vital signs."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ivig import clock
from ivig.infusions import actions, pump
from ivig.infusions.events import InfusionError
from ivig.infusions.models import RateSegment
from tests.plugins.infusions import running


@pytest.fixture
def session(dispensed_order, fixed_clock):
    return running(dispensed_order)


def change(d, session, rate, reason=""):
    session.refresh_from_db()
    return pump.change_rate(
        by=d.nurse,
        session=session,
        expected_version=session.version,
        at=clock.now(),
        rate_ml_per_h=Decimal(rate),
        reason=reason,
    )


def vitals(d, session):
    actions.record_vitals(by=d.nurse, session=session, taken_at=clock.now(), heart_rate=90)


def test_it_refuses_a_rate_above_the_label_maximum_and_changes_nothing(dispensed_order, session, fixed_clock):
    d = dispensed_order
    fixed_clock.advance(minutes=30)
    vitals(d, session)
    version = session.version + 1  # the vitals bumped it

    with pytest.raises(
        InfusionError, match=r"60.1 mL/h is 4.01 mg/kg/min .* above the label maximum of 4 mg/kg/min"
    ):
        change(d, session, "60.1", reason="asked to hurry")

    session.refresh_from_db()
    assert session.version == version
    assert list(session.segments.values_list("rate_ml_per_h", flat=True)) == [Decimal("7.50")]
    segment = change(
        d, session, "60", reason="tolerated before at 4 mg/kg/min"
    )  # the maximum itself is allowed
    assert segment.kind == RateSegment.Kind.INCREASE


def test_it_needs_a_reason_to_leave_the_plan(dispensed_order, session, fixed_clock):
    d = dispensed_order
    fixed_clock.advance(minutes=20)
    vitals(d, session)
    with pytest.raises(InfusionError, match="next step is due at"):
        change(d, session, "15")  # early
    fixed_clock.advance(minutes=10)
    with pytest.raises(InfusionError, match="not the plan's next rate"):
        change(d, session, "20")
    with pytest.raises(InfusionError, match="reason for holding"):
        change(d, session, "7.5")
    with pytest.raises(InfusionError, match="reason for lowering"):
        change(d, session, "5")

    held = change(d, session, "7.5", reason="mild headache, holding 30 min")
    lowered = change(d, session, "5", reason="headache worse")
    assert (held.kind, lowered.kind) == ("hold", "decrease")
    session.refresh_from_db()
    assert session.active_step_index == 0


def test_it_needs_vital_signs_before_a_step_up(dispensed_order, session, fixed_clock):
    d = dispensed_order
    fixed_clock.advance(minutes=30)
    with pytest.raises(InfusionError, match="Take vital signs before increasing"):
        change(d, session, "15")
    vitals(d, session)
    step = change(d, session, "15")
    assert step.planned_rate_ml_per_h == Decimal("15")
    session.refresh_from_db()
    assert session.active_step_index == 1 and session.order.status == "in_progress"


def test_it_refuses_times_in_the_future_or_before_the_last_change(dispensed_order, session, fixed_clock):
    d = dispensed_order
    session.refresh_from_db()
    with pytest.raises(InfusionError, match="in the future"):
        pump.pause(
            by=d.nurse,
            session=session,
            expected_version=session.version,
            at=fixed_clock.now() + fixed_clock_delta(10),
            reason="line kinked",
        )
    with pytest.raises(InfusionError, match="before"):
        pump.pause(
            by=d.nurse,
            session=session,
            expected_version=session.version,
            at=fixed_clock.now() - fixed_clock_delta(10),
            reason="line kinked",
        )


def fixed_clock_delta(minutes):
    from datetime import timedelta

    return timedelta(minutes=minutes)

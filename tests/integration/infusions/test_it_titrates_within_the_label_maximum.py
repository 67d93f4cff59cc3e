"""Guided titration: a rate above the label maximum is refused and changes nothing; anything off the plan
needs a reason; a step up needs recent vital signs."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from ivig.infusions.events import InfusionError
from ivig.infusions.models import RateSegment
from tests.drivers.infusions import Pump, running


@pytest.fixture
def pump(dispensed_order, fixed_clock):
    return Pump.of(dispensed_order, running(dispensed_order))


def test_it_refuses_a_rate_above_the_label_maximum_and_changes_nothing(pump, fixed_clock):
    fixed_clock.advance(minutes=30)
    pump.vitals()
    version = pump.session.version

    with pytest.raises(
        InfusionError, match=r"60.1 mL/h is 4.01 mg/kg/min .* above the label maximum of 4 mg/kg/min"
    ):
        pump.change("60.1", reason="asked to hurry")

    pump.session.refresh_from_db()
    assert pump.session.version == version
    assert list(pump.session.segments.values_list("rate_ml_per_h", flat=True)) == [Decimal("7.50")]
    segment = pump.change("60", reason="tolerated before at 4 mg/kg/min")  # the maximum itself is allowed
    assert segment.kind == RateSegment.Kind.INCREASE


def test_it_needs_a_reason_to_leave_the_plan(pump, fixed_clock):
    fixed_clock.advance(minutes=20)
    pump.vitals()
    with pytest.raises(InfusionError, match="next step is due at"):
        pump.change("15")  # early
    fixed_clock.advance(minutes=10)
    with pytest.raises(InfusionError, match="not the plan's next rate"):
        pump.change("20")
    with pytest.raises(InfusionError, match="reason for holding"):
        pump.change("7.5")
    with pytest.raises(InfusionError, match="reason for lowering"):
        pump.change("5")

    held = pump.change("7.5", reason="mild headache, holding 30 min")
    lowered = pump.change("5", reason="headache worse")
    assert (held.kind, lowered.kind) == ("hold", "decrease")
    assert pump.session.active_step_index == 0


def test_it_needs_vital_signs_before_a_step_up(pump, fixed_clock):
    fixed_clock.advance(minutes=30)
    with pytest.raises(InfusionError, match="Take vital signs before increasing"):
        pump.change("15")
    pump.vitals()
    step = pump.change("15")
    assert step.planned_rate_ml_per_h == Decimal("15")
    assert pump.session.active_step_index == 1 and pump.session.order.status == "in_progress"


@pytest.mark.parametrize(("minutes", "refusal"), [(10, "in the future"), (-10, "before")])
def test_it_refuses_times_in_the_future_or_before_the_last_change(pump, fixed_clock, minutes, refusal):
    from ivig.infusions import pump as pumps

    session = pump.session
    with pytest.raises(InfusionError, match=refusal):
        pumps.pause(
            by=pump.nurse,
            session=session,
            expected_version=session.version,
            at=fixed_clock.now() + timedelta(minutes=minutes),
            reason="line kinked",
        )

"""No step-up while a reaction is open; the live panel shows the reaction, its grade and guidance."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from ivig.infusions.events import InfusionError
from ivig.infusions.models import RateSegment
from tests.drivers.infusions import Pump, running


def vitals_then_wait(pump, fixed_clock, minutes=30):
    fixed_clock.advance(minutes=minutes - 2)
    pump.vitals(heart_rate=92)
    fixed_clock.advance(minutes=2)


@pytest.fixture
def reacting(dispensed_order, fixed_clock):
    """Running at 15 mL/h (step 2) with a grade 1 reaction open since 08:35."""
    pump = Pump.of(dispensed_order, running(dispensed_order))
    vitals_then_wait(pump, fixed_clock)
    pump.change("15")
    fixed_clock.advance(minutes=5)
    reaction = pump.react(1)
    vitals_then_wait(pump, fixed_clock, minutes=25)
    return pump, reaction


def test_it_refuses_a_step_up_while_a_grade_1_reaction_is_open(reacting):
    pump, _reaction = reacting

    with pytest.raises(InfusionError, match=r"No step-up while the grade 1 reaction at 08:35 is open"):
        pump.change("30")
    with pytest.raises(InfusionError, match=r"No step-up while"):
        pump.change("30", reason="doctor asked to go on")  # no reason unlocks it

    assert not pump.session.segments.filter(kind=RateSegment.Kind.INCREASE, rate_ml_per_h=30).exists()


def test_it_still_allows_holding_or_lowering_with_a_reason(reacting):
    pump, _reaction = reacting

    with pytest.raises(InfusionError, match="reason for lowering"):
        pump.change("7.5")
    assert pump.change("15", reason="grade 1 reaction: holding").kind == RateSegment.Kind.HOLD
    assert pump.change("7.5", reason="grade 1 reaction: slowing").kind == RateSegment.Kind.DECREASE


def test_it_allows_the_step_up_once_the_reaction_has_settled(reacting, fixed_clock):
    pump, reaction = reacting

    pump.settle(reaction)
    fixed_clock.advance(minutes=1)

    assert pump.change("30").kind == RateSegment.Kind.INCREASE


def test_it_steps_up_after_a_grade_2_reaction_only_on_the_resume_plan(dispensed_order, fixed_clock):
    pump = Pump.of(dispensed_order, running(dispensed_order))
    vitals_then_wait(pump, fixed_clock)
    pump.change("15")
    vitals_then_wait(pump, fixed_clock)
    pump.change("30")
    fixed_clock.advance(minutes=5)
    reaction = pump.react(2, symptoms=("fever", "chills"))
    pump.change("15", reason="grade 2: slowing before the pause")
    pump.settle(reaction)
    fixed_clock.advance(minutes=1)
    with pytest.raises(InfusionError, match="restart it on the resume plan"):
        pump.change("30")

    pump.pause("grade 2")
    pump.settle(reaction)
    with pytest.raises(InfusionError, match="at most: the last tolerated rate"):
        # The rate was lowered before the pause: the restart still goes through the resume plan.
        pump.resume("30")
    pump.resume("15")
    reaction.refresh_from_db()
    assert reaction.resume_plan["resumed_at"]
    vitals_then_wait(pump, fixed_clock)

    assert pump.change("30").kind == RateSegment.Kind.INCREASE


def test_it_never_restarts_or_steps_up_after_a_grade_3_reaction(dispensed_order, fixed_clock):
    pump = Pump.of(dispensed_order, running(dispensed_order))
    vitals_then_wait(pump, fixed_clock)
    pump.change("15")
    fixed_clock.advance(minutes=5)
    pump.react(3)
    pump.change("7.5", reason="grade 3: slowing")  # lowering is allowed even now
    fixed_clock.advance(minutes=5)
    pump.pause("grade 3")

    with pytest.raises(InfusionError, match="must not be restarted"):
        pump.resume("7.5")


def test_the_live_panel_shows_the_open_reaction_and_no_next_step(client, dispensed_order, reacting):
    pump, reaction = reacting
    session = pump.session
    client.force_login(dispensed_order.nurse)

    panel = client.get(reverse("infusions:status", args=[session.pk])).content.decode()
    page = client.get(reverse("infusions:flowsheet", args=[session.pk])).content.decode()

    assert 'data-testid="open-reaction"' in panel
    assert "Reaction · grade 1 at 08:35" in panel
    assert "Continue, or slow the rate; watch closely" in panel
    assert "On hold" in panel and " in <span data-countdown" not in panel
    assert 'data-testid="open-reaction"' in page
    rate_input = re.search(r'<input[^>]*id="rate_rate_ml_per_h"[^>]*>', page)
    assert rate_input is not None and "value=" not in rate_input.group(0)  # no step-up offered

    pump.settle(reaction)
    settled = client.get(reverse("infusions:status", args=[session.pk])).content.decode()
    assert 'data-testid="open-reaction"' not in settled and "On hold" not in settled

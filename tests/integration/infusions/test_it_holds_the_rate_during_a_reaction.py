"""No step-up while a reaction is open; the live panel shows the reaction, its grade and guidance."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from ivig import clock
from ivig.infusions import actions, pump, reaction_actions
from ivig.infusions.events import InfusionError
from ivig.infusions.models import RateSegment
from tests.plugins.infusions import running


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


def vitals_then_wait(d, session, fixed_clock, minutes=30):
    fixed_clock.advance(minutes=minutes - 2)
    actions.record_vitals(by=d.nurse, session=session, taken_at=clock.now(), heart_rate=92)
    fixed_clock.advance(minutes=2)


def grade(d, session, value, symptoms=("chills",)):
    return reaction_actions.record_reaction(
        by=d.nurse, session=session, onset_at=clock.now(), grade=value, symptoms=list(symptoms)
    )


@pytest.fixture
def reacting(dispensed_order, fixed_clock):
    """Running at 15 mL/h (step 2) with a grade 1 reaction open since 08:35."""
    d = dispensed_order
    session = running(d)
    vitals_then_wait(d, session, fixed_clock)
    change(d, session, "15")
    fixed_clock.advance(minutes=5)
    reaction = grade(d, session, 1)
    vitals_then_wait(d, session, fixed_clock, minutes=25)
    return session, reaction


def test_it_refuses_a_step_up_while_a_grade_1_reaction_is_open(dispensed_order, reacting):
    d = dispensed_order
    session, _reaction = reacting

    with pytest.raises(InfusionError, match=r"No step-up while the grade 1 reaction at 08:35 is open"):
        change(d, session, "30")
    with pytest.raises(InfusionError, match=r"No step-up while"):
        change(d, session, "30", reason="doctor asked to go on")  # no reason unlocks it

    assert not session.segments.filter(kind=RateSegment.Kind.INCREASE, rate_ml_per_h=30).exists()


def test_it_still_allows_holding_or_lowering_with_a_reason(dispensed_order, reacting):
    d = dispensed_order
    session, _reaction = reacting

    with pytest.raises(InfusionError, match="reason for lowering"):
        change(d, session, "7.5")
    assert change(d, session, "15", reason="grade 1 reaction: holding").kind == RateSegment.Kind.HOLD
    assert change(d, session, "7.5", reason="grade 1 reaction: slowing").kind == RateSegment.Kind.DECREASE


def test_it_allows_the_step_up_once_the_reaction_has_settled(dispensed_order, reacting, fixed_clock):
    d = dispensed_order
    session, reaction = reacting

    reaction_actions.settle_reaction(by=d.nurse, reaction=reaction, at=clock.now())
    fixed_clock.advance(minutes=1)

    assert change(d, session, "30").kind == RateSegment.Kind.INCREASE


def test_it_steps_up_after_a_grade_2_reaction_only_on_the_resume_plan(dispensed_order, fixed_clock):
    d = dispensed_order
    session = running(d)
    vitals_then_wait(d, session, fixed_clock)
    change(d, session, "15")
    vitals_then_wait(d, session, fixed_clock)
    change(d, session, "30")
    fixed_clock.advance(minutes=5)
    reaction = grade(d, session, 2, symptoms=("fever", "chills"))
    change(d, session, "15", reason="grade 2: slowing before the pause")
    reaction_actions.settle_reaction(by=d.nurse, reaction=reaction, at=clock.now())
    fixed_clock.advance(minutes=1)
    with pytest.raises(InfusionError, match="restart it on the resume plan"):
        change(d, session, "30")

    session.refresh_from_db()
    pump.pause(
        by=d.nurse, session=session, expected_version=session.version, at=clock.now(), reason="grade 2"
    )
    reaction.refresh_from_db()
    reaction_actions.settle_reaction(by=d.nurse, reaction=reaction, at=clock.now())
    session.refresh_from_db()
    with pytest.raises(InfusionError, match="at most: the last tolerated rate"):
        # The rate was lowered before the pause: the restart still goes through the resume plan.
        pump.resume(
            by=d.nurse,
            session=session,
            expected_version=session.version,
            at=clock.now(),
            rate_ml_per_h=Decimal("30"),
        )
    pump.resume(
        by=d.nurse,
        session=session,
        expected_version=session.version,
        at=clock.now(),
        rate_ml_per_h=Decimal("15"),
    )
    reaction.refresh_from_db()
    assert reaction.resume_plan["resumed_at"]
    vitals_then_wait(d, session, fixed_clock)

    assert change(d, session, "30").kind == RateSegment.Kind.INCREASE


def test_it_never_restarts_or_steps_up_after_a_grade_3_reaction(dispensed_order, fixed_clock):
    d = dispensed_order
    session = running(d)
    vitals_then_wait(d, session, fixed_clock)
    change(d, session, "15")
    fixed_clock.advance(minutes=5)
    grade(d, session, 3)
    change(d, session, "7.5", reason="grade 3: slowing")  # lowering is allowed even now
    fixed_clock.advance(minutes=5)
    session.refresh_from_db()
    pump.pause(
        by=d.nurse, session=session, expected_version=session.version, at=clock.now(), reason="grade 3"
    )
    session.refresh_from_db()

    with pytest.raises(InfusionError, match="must not be restarted"):
        pump.resume(
            by=d.nurse,
            session=session,
            expected_version=session.version,
            at=clock.now(),
            rate_ml_per_h=Decimal("7.5"),
        )


def test_the_live_panel_shows_the_open_reaction_and_no_next_step(client, dispensed_order, reacting):
    d = dispensed_order
    session, reaction = reacting
    client.force_login(d.nurse)

    panel = client.get(reverse("infusions:status", args=[session.pk])).content.decode()
    page = client.get(reverse("infusions:flowsheet", args=[session.pk])).content.decode()

    assert 'data-testid="open-reaction"' in panel
    assert "Reaction · grade 1 at 08:35" in panel
    assert "Continue, or slow the rate; watch closely" in panel
    assert "On hold" in panel and " in <span data-countdown" not in panel
    assert 'data-testid="open-reaction"' in page
    rate_input = re.search(r'<input[^>]*id="rate_rate_ml_per_h"[^>]*>', page)
    assert rate_input is not None and "value=" not in rate_input.group(0)  # no step-up offered

    reaction_actions.settle_reaction(by=d.nurse, reaction=reaction, at=clock.now())
    settled = client.get(reverse("infusions:status", args=[session.pk])).content.decode()
    assert 'data-testid="open-reaction"' not in settled and "On hold" not in settled

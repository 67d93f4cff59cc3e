"""Reactions: the core's guidance, an adverse event linked to patient, order and lots, and the resume plan."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from ivig.infusions.events import InfusionError
from tests.drivers.infusions import Pump, running


def step_to(pump, rate, fixed_clock):
    fixed_clock.advance(minutes=28)
    pump.vitals()
    fixed_clock.advance(minutes=2)
    pump.change(rate)


def test_it_makes_an_adverse_event_and_a_plan_to_resume(dispensed_order, fixed_clock):
    d = dispensed_order
    pump = Pump.of(d, running(d))
    session = pump.session
    step_to(pump, "15", fixed_clock)
    step_to(pump, "30", fixed_clock)
    fixed_clock.advance(minutes=5)
    reaction = pump.react(2, symptoms=("fever", "chills"))
    event = reaction.adverse_event
    assert (event.patient, event.order, event.session, event.grade, event.serious) == (
        session.patient,
        d.order,
        session,
        2,
        False,
    )
    assert set(event.lots.values_list("lot_number", flat=True)) == {"G20A", "F05A"}
    assert reaction.guidance["action"] == "pause" and reaction.rate_at_onset_ml_per_h == Decimal("30")

    with pytest.raises(InfusionError, match="not paused"):
        pump.resume("15")
    pump.pause("grade 2")
    with pytest.raises(InfusionError, match="settled"):
        pump.resume("15")
    fixed_clock.advance(minutes=15)
    reaction = pump.settle(reaction)
    assert reaction.resume_plan["resume_rate_ml_per_h"] == 15
    assert [s["rate_ml_per_h"] for s in reaction.resume_plan["steps"]] == [15, 30, 60]
    with pytest.raises(InfusionError, match="at most: the last tolerated rate"):
        pump.resume("30")
    pump.resume("15")
    assert session.status == "running" and session.active_steps[0]["rate_ml_per_h"] == 15


def test_it_does_not_restart_after_a_grade_3_reaction(dispensed_order, fixed_clock):
    from ivig import clock
    from ivig.infusions import reaction_actions

    d = dispensed_order
    pump = Pump.of(d, running(d))
    fixed_clock.advance(minutes=10)
    reaction = pump.react(3, symptoms=("throat_or_face_swelling", "wheeze"), anaphylaxis_suspected=True)
    assert reaction.guidance["action"] == "stop" and reaction.guidance["epinephrine"]
    assert reaction.adverse_event.serious
    pump.pause("anaphylaxis")
    reaction_actions.add_reaction_action(
        by=d.nurse, reaction=reaction, at=clock.now(), description="Epinephrine IM"
    )
    pump.settle(reaction)
    with pytest.raises(InfusionError, match="must not be restarted"):
        pump.resume("5")
    session = pump.end("stopped for anaphylaxis")
    assert session.volume_given_ml == Decimal("1.3")  # 10 min at 7.5 mL/h


def test_it_stops_for_hives_with_wheeze_entered_as_grade_2_and_records_grade_3(
    client, dispensed_order, fixed_clock
):
    d = dispensed_order
    pump = Pump.of(d, running(d))
    fixed_clock.advance(minutes=10)
    reaction = pump.react(2, symptoms=("hives_or_rash", "wheeze"))

    assert reaction.guidance["action"] == "stop" and reaction.guidance["epinephrine"]
    assert not reaction.guidance["may_resume"]
    assert reaction.grade == 3 and reaction.guidance["grade_entered"] == 2
    assert reaction.adverse_event.grade == 3 and reaction.adverse_event.serious
    client.force_login(d.nurse)
    page = client.get(reverse("infusions:flowsheet", args=[pump.session.pk])).content.decode()
    assert "Anaphylaxis: stop the infusion, give epinephrine, call for help" in page
    assert "Grade raised from 2 to 3" in page


@pytest.mark.parametrize(
    ("grade", "symptoms", "refusal"), [(1, (), "at least one symptom"), (7, ("fever",), "from the lists")]
)
def test_it_checks_the_reaction_form(dispensed_order, fixed_clock, grade, symptoms, refusal):
    pump = Pump.of(dispensed_order, running(dispensed_order))
    with pytest.raises(InfusionError, match=refusal):
        pump.react(grade, symptoms=symptoms)

"""Reactions: the core's guidance, an adverse event linked to patient, order and lots, and the resume plan."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from ivig import clock
from ivig.infusions import actions, pump, reaction_actions
from ivig.infusions.events import InfusionError
from tests.plugins.infusions import running


def step_to(d, session, rate, fixed_clock):
    fixed_clock.advance(minutes=28)
    actions.record_vitals(by=d.nurse, session=session, taken_at=clock.now(), heart_rate=90)
    fixed_clock.advance(minutes=2)
    session.refresh_from_db()
    pump.change_rate(
        by=d.nurse,
        session=session,
        expected_version=session.version,
        at=clock.now(),
        rate_ml_per_h=Decimal(rate),
    )


def test_it_makes_an_adverse_event_and_a_plan_to_resume(dispensed_order, fixed_clock):
    d = dispensed_order
    session = running(d)
    step_to(d, session, "15", fixed_clock)
    step_to(d, session, "30", fixed_clock)
    fixed_clock.advance(minutes=5)
    reaction = reaction_actions.record_reaction(
        by=d.nurse, session=session, onset_at=clock.now(), grade=2, symptoms=["fever", "chills"]
    )
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

    session.refresh_from_db()
    with pytest.raises(InfusionError, match="not paused"):
        pump.resume(
            by=d.nurse,
            session=session,
            expected_version=session.version,
            at=clock.now(),
            rate_ml_per_h=Decimal("15"),
        )
    pump.pause(
        by=d.nurse, session=session, expected_version=session.version, at=clock.now(), reason="grade 2"
    )
    session.refresh_from_db()
    with pytest.raises(InfusionError, match="settled"):
        pump.resume(
            by=d.nurse,
            session=session,
            expected_version=session.version,
            at=clock.now(),
            rate_ml_per_h=Decimal("15"),
        )
    fixed_clock.advance(minutes=15)
    reaction = reaction_actions.settle_reaction(by=d.nurse, reaction=reaction, at=clock.now())
    assert reaction.resume_plan["resume_rate_ml_per_h"] == 15
    assert [s["rate_ml_per_h"] for s in reaction.resume_plan["steps"]] == [15, 30, 60]
    session.refresh_from_db()
    with pytest.raises(InfusionError, match="at most: the last tolerated rate"):
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
    session.refresh_from_db()
    assert session.status == "running" and session.active_steps[0]["rate_ml_per_h"] == 15


def test_it_does_not_restart_after_a_grade_3_reaction(dispensed_order, fixed_clock):
    d = dispensed_order
    session = running(d)
    fixed_clock.advance(minutes=10)
    reaction = reaction_actions.record_reaction(
        by=d.nurse,
        session=session,
        onset_at=clock.now(),
        grade=3,
        symptoms=["throat_or_face_swelling", "wheeze"],
        anaphylaxis_suspected=True,
    )
    assert reaction.guidance["action"] == "stop" and reaction.guidance["epinephrine"]
    assert reaction.adverse_event.serious
    session.refresh_from_db()
    pump.pause(
        by=d.nurse, session=session, expected_version=session.version, at=clock.now(), reason="anaphylaxis"
    )
    reaction_actions.add_reaction_action(
        by=d.nurse, reaction=reaction, at=clock.now(), description="Epinephrine IM"
    )
    reaction_actions.settle_reaction(by=d.nurse, reaction=reaction, at=clock.now())
    session.refresh_from_db()
    with pytest.raises(InfusionError, match="must not be restarted"):
        pump.resume(
            by=d.nurse,
            session=session,
            expected_version=session.version,
            at=clock.now(),
            rate_ml_per_h=Decimal("5"),
        )
    session = pump.end_infusion(
        by=d.nurse,
        session=session,
        expected_version=session.version,
        at=clock.now(),
        reason="stopped for anaphylaxis",
    )
    assert session.volume_given_ml == Decimal("1.3")  # 10 min at 7.5 mL/h


def test_it_stops_for_hives_with_wheeze_entered_as_grade_2_and_records_grade_3(
    client, dispensed_order, fixed_clock
):
    d = dispensed_order
    session = running(d)
    fixed_clock.advance(minutes=10)
    reaction = reaction_actions.record_reaction(
        by=d.nurse, session=session, onset_at=clock.now(), grade=2, symptoms=["hives_or_rash", "wheeze"]
    )

    assert reaction.guidance["action"] == "stop" and reaction.guidance["epinephrine"]
    assert not reaction.guidance["may_resume"]
    assert reaction.grade == 3 and reaction.guidance["grade_entered"] == 2
    assert reaction.adverse_event.grade == 3 and reaction.adverse_event.serious
    client.force_login(d.nurse)
    page = client.get(reverse("infusions:flowsheet", args=[session.pk])).content.decode()
    assert "Anaphylaxis: stop the infusion, give epinephrine, call for help" in page
    assert "Grade raised from 2 to 3" in page


def test_it_checks_the_reaction_form(dispensed_order, fixed_clock):
    d = dispensed_order
    session = running(d)
    with pytest.raises(InfusionError, match="at least one symptom"):
        reaction_actions.record_reaction(
            by=d.nurse, session=session, onset_at=clock.now(), grade=1, symptoms=[]
        )
    with pytest.raises(InfusionError, match="from the lists"):
        reaction_actions.record_reaction(
            by=d.nurse, session=session, onset_at=clock.now(), grade=7, symptoms=["fever"]
        )

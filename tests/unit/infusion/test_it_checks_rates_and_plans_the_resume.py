"""Rate checks against the label maximum, the plan's steps, and the plan to resume after a pause."""

from datetime import UTC, datetime

import pytest

from ivig.clinical.infusion.titration import (
    PlannedRate,
    RateBasis,
    TitrationError,
    check_rate,
    last_tolerated_rate,
    next_step_at,
    plan_resume,
    planned_volume_ml,
    steps_from_plan,
)

# Privigen ITP for 25 kg (10 %): 0.5 -> 1 -> 2 -> 4 mg/kg/min = 7.5 -> 15 -> 30 -> 60 mL/h; label max 4.
BASIS = RateBasis(
    rate_weight_kg=25,
    concentration_g_per_100ml=10,
    ceiling_mg_per_kg_per_min=4,
    label_max_mg_per_kg_per_min=4,
)
STEPS = (
    PlannedRate(7.5, 30, 0.5),
    PlannedRate(15, 30, 1),
    PlannedRate(30, 30, 2),
    PlannedRate(60, None, 4),
)


def test_it_converts_a_pump_rate_to_mg_per_kg_per_min():
    assert check_rate(BASIS, 30).rate_mg_per_kg_per_min == pytest.approx(2.0)
    assert BASIS.ceiling_ml_per_h == 60


def test_it_refuses_a_rate_above_the_label_maximum():
    assert check_rate(BASIS, 60).allowed
    refused = check_rate(BASIS, 60.5)
    assert not refused.allowed
    assert "above the label maximum of 4 mg/kg/min" in refused.message
    assert not check_rate(BASIS, 0).allowed


def test_it_names_a_risk_cap_below_the_label_maximum():
    capped = RateBasis(25, 10, ceiling_mg_per_kg_per_min=3.3, label_max_mg_per_kg_per_min=8)
    refused = check_rate(capped, 50)
    assert not refused.allowed and "risk cap of 3.3 mg/kg/min (label maximum 8)" in refused.message
    assert capped.ceiling_ml_per_h == 49.5


def test_it_reads_the_steps_of_a_plan_day():
    day = {
        "steps": [
            {"rate_ml_per_h": 7.5, "duration_min": 30, "rate_mg_per_kg_per_min": 0.5},
            {"rate_ml_per_h": 15, "duration_min": 223.75, "rate_mg_per_kg_per_min": 1},
        ]
    }
    steps = steps_from_plan(day)
    assert steps[0].duration_min == 30 and steps[-1].duration_min is None
    with pytest.raises(TitrationError):
        steps_from_plan({"steps": []})


def test_it_times_the_next_step():
    start = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    assert next_step_at(STEPS, 0, start) == datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
    assert next_step_at(STEPS, 3, start) is None


def test_it_lays_out_the_planned_volume():
    rows = planned_volume_ml(STEPS, 250)
    given = sum((end - start) / 60 * rate for start, end, rate in rows)
    assert given == pytest.approx(250)
    assert rows[-1][1] == pytest.approx(90 + 223.75)


def test_it_resumes_at_the_last_tolerated_rate_then_steps_up_to_the_maximum():
    plan = plan_resume(
        STEPS, BASIS, reaction_rate_ml_per_h=30, given_rates_ml_per_h=[7.5, 15, 30], remaining_ml=233.75
    )

    assert plan.resume_rate_ml_per_h == 15
    assert [s.rate_ml_per_h for s in plan.steps] == [15, 30, 60]
    assert [s.duration_min for s in plan.steps] == [30, 30, None]
    assert max(s.rate_mg_per_kg_per_min for s in plan.steps) <= 4
    assert "resume at a lower, tolerated rate" in plan.source


def test_it_asks_the_prescriber_when_no_lower_rate_was_tolerated():
    plan = plan_resume(STEPS, BASIS, reaction_rate_ml_per_h=7.5, given_rates_ml_per_h=[7.5], remaining_ml=250)
    assert plan.resume_rate_ml_per_h is None and "prescriber" in plan.message
    chosen = plan_resume(
        STEPS,
        BASIS,
        reaction_rate_ml_per_h=7.5,
        given_rates_ml_per_h=[7.5],
        remaining_ml=250,
        chosen_rate_ml_per_h=5,
    )
    assert chosen.resume_rate_ml_per_h == 5
    assert [s.rate_ml_per_h for s in chosen.steps] == [5, 7.5, 15, 30, 60]
    too_fast = plan_resume(
        STEPS,
        BASIS,
        reaction_rate_ml_per_h=7.5,
        given_rates_ml_per_h=[],
        remaining_ml=250,
        chosen_rate_ml_per_h=7.5,
    )
    assert too_fast.resume_rate_ml_per_h is None


def test_it_never_resumes_above_a_lowered_ceiling():
    capped = RateBasis(25, 10, ceiling_mg_per_kg_per_min=2, label_max_mg_per_kg_per_min=4)
    plan = plan_resume(
        STEPS, capped, reaction_rate_ml_per_h=60, given_rates_ml_per_h=[7.5, 15, 30, 60], remaining_ml=100
    )
    assert plan.resume_rate_ml_per_h == 30 and [s.rate_ml_per_h for s in plan.steps] == [30]


def test_it_ends_the_resume_plan_when_the_volume_runs_out():
    plan = plan_resume(
        STEPS, BASIS, reaction_rate_ml_per_h=30, given_rates_ml_per_h=[7.5, 15], remaining_ml=5
    )
    assert [s.rate_ml_per_h for s in plan.steps] == [15] and plan.steps[0].duration_min is None
    assert last_tolerated_rate([7.5, 15, 0, 30], 30) == 15

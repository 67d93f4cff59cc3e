"""No step-up while a reaction is open; after a paused reaction only once restarted on the resume plan."""

from dataclasses import replace
from datetime import UTC, datetime

from ivig.clinical.infusion.reactions import Grade, InfusionAction, Symptom, guidance
from ivig.clinical.infusion.step_up import ReactionSoFar, step_up_check

AT = datetime(2025, 3, 4, 10, 32, tzinfo=UTC)


def reaction(grade: Grade, *, settled: bool = False, restarted: bool = False) -> ReactionSoFar:
    advice = guidance(grade, [Symptom.FEVER])
    return ReactionSoFar(
        grade=int(advice.grade),
        onset_at=AT,
        action=advice.action,
        headline=advice.headline,
        may_resume=advice.may_resume,
        settled=settled,
        restarted_on_plan=restarted,
    )


def test_it_allows_a_step_up_with_no_reaction():
    assert step_up_check([]).allowed


def test_it_refuses_a_step_up_while_a_grade_1_reaction_is_open():
    check = step_up_check([reaction(Grade.MILD)])

    assert not check.allowed
    assert check.holding is not None and check.holding.grade == 1
    assert "the grade 1 reaction at 10:32 is open" in check.message
    assert "Continue, or slow the rate" in check.message
    assert "holding or lowering the rate is allowed" in check.message


def test_it_allows_a_step_up_once_a_grade_1_reaction_has_settled():
    assert step_up_check([reaction(Grade.MILD, settled=True)]).allowed


def test_it_wants_a_restart_on_the_resume_plan_after_a_grade_2_reaction():
    settled_only = step_up_check([reaction(Grade.MODERATE, settled=True)])
    restarted = step_up_check([reaction(Grade.MODERATE, settled=True, restarted=True)])

    assert not settled_only.allowed and "restart it on the resume plan" in settled_only.message
    assert restarted.allowed


def test_it_never_allows_a_step_up_after_a_reaction_that_stopped_the_infusion():
    check = step_up_check([reaction(Grade.SEVERE, settled=True, restarted=True)])

    assert not check.allowed and "must not go on" in check.message
    assert check.holding is not None and check.holding.action is InfusionAction.STOP


def test_it_names_the_open_reaction_when_an_earlier_one_has_settled():
    earlier = reaction(Grade.MILD, settled=True)
    later = replace(reaction(Grade.MILD), onset_at=AT.replace(hour=11, minute=5))

    check = step_up_check([earlier, later])

    assert not check.allowed and "at 11:05 is open" in check.message

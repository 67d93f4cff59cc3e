"""Anaphylaxis comes from the symptoms, not the grade entered: Brown's grading applied (ref. s8, issue 16)."""

import pytest

from ivig.clinical.infusion.reactions import (
    BrownSeverity,
    Grade,
    InfusionAction,
    Symptom,
    anaphylaxis_features,
    brown_severity,
    guidance,
)

SKIN = (Symptom.HIVES_OR_RASH, Symptom.ITCHING, Symptom.FLUSHING)
OTHER_SYSTEM = (
    Symptom.WHEEZE,
    Symptom.BREATHLESSNESS,
    Symptom.CHEST_TIGHTNESS,
    Symptom.NAUSEA_OR_VOMITING,
    Symptom.LOW_BLOOD_PRESSURE,
)


def _is_anaphylaxis_stop(advice):
    return (
        advice.action is InfusionAction.STOP
        and advice.epinephrine
        and not advice.may_resume
        and advice.call_prescriber
        and any("epinephrine" in step for step in advice.steps)
        and any("Call for help" in step for step in advice.steps)
    )


def test_it_stops_and_gives_epinephrine_for_hives_with_wheeze_at_grade_2():
    advice = guidance(Grade.MODERATE, [Symptom.HIVES_OR_RASH, Symptom.WHEEZE])

    assert _is_anaphylaxis_stop(advice)
    assert advice.brown is BrownSeverity.MODERATE


@pytest.mark.parametrize("skin", SKIN)
@pytest.mark.parametrize("other", OTHER_SYSTEM)
@pytest.mark.parametrize("grade", [Grade.MILD, Grade.MODERATE])
def test_it_treats_any_skin_feature_with_another_system_as_anaphylaxis_whatever_the_grade(skin, other, grade):
    assert anaphylaxis_features([skin, other])
    assert _is_anaphylaxis_stop(guidance(grade, [skin, other]))


@pytest.mark.parametrize("grade", [Grade.MILD, Grade.MODERATE, Grade.SEVERE])
def test_it_treats_throat_or_face_swelling_alone_as_anaphylaxis(grade):
    advice = guidance(grade, [Symptom.THROAT_OR_FACE_SWELLING])

    assert _is_anaphylaxis_stop(advice)
    assert brown_severity([Symptom.THROAT_OR_FACE_SWELLING]) is BrownSeverity.MODERATE


def test_it_raises_the_grade_entered_and_says_so():
    raised = guidance(Grade.MILD, [Symptom.ITCHING, Symptom.BREATHLESSNESS])
    kept = guidance(Grade.LIFE_THREATENING, [Symptom.ITCHING, Symptom.BREATHLESSNESS])

    assert raised.grade is Grade.SEVERE and raised.grade_entered is Grade.MILD and raised.grade_raised
    assert any("not the grade 1 entered" in step for step in raised.steps)
    assert any(s.startswith("site rule:") for s in raised.sources)
    assert kept.grade is Grade.LIFE_THREATENING and not kept.grade_raised


def test_skin_only_or_one_other_system_alone_keeps_the_grade_guidance():
    skin_only = guidance(Grade.MILD, [Symptom.HIVES_OR_RASH, Symptom.ITCHING, Symptom.FLUSHING])
    nausea_only = guidance(Grade.MODERATE, [Symptom.NAUSEA_OR_VOMITING, Symptom.HEADACHE])

    assert skin_only.action is InfusionAction.CONTINUE_OR_SLOW and not skin_only.epinephrine
    assert skin_only.brown is BrownSeverity.MILD and not skin_only.grade_raised
    assert nausea_only.action is InfusionAction.PAUSE and not nausea_only.epinephrine

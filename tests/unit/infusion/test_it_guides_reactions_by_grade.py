"""Reaction guidance by CTCAE v5 grade, with Brown's hypersensitivity grading and anaphylaxis (ref. s8)."""

from ivig.clinical.infusion.reactions import (
    BrownSeverity,
    Grade,
    InfusionAction,
    Symptom,
    brown_severity,
    guidance,
)


def test_it_lets_grade_1_continue_or_slow():
    advice = guidance(Grade.MILD, [Symptom.HEADACHE])

    assert advice.action is InfusionAction.CONTINUE_OR_SLOW
    assert advice.may_resume and not advice.epinephrine and not advice.call_prescriber
    assert any("CTCAE v5.0" in s for s in advice.sources)


def test_it_pauses_treats_and_restarts_lower_at_grade_2():
    advice = guidance(Grade.MODERATE, [Symptom.CHILLS, Symptom.FEVER])

    assert advice.action is InfusionAction.PAUSE
    assert advice.may_resume
    assert any("lower" in step for step in advice.steps)
    assert any("resume at a lower, tolerated rate" in s for s in advice.sources)


def test_it_stops_and_calls_the_prescriber_at_grade_3_and_4():
    for grade in (Grade.SEVERE, Grade.LIFE_THREATENING, Grade.DEATH):
        advice = guidance(grade, [Symptom.CHEST_TIGHTNESS])
        assert advice.action is InfusionAction.STOP
        assert advice.call_prescriber and not advice.may_resume
        assert not advice.epinephrine  # not anaphylaxis unless suspected or severe hypersensitivity


def test_it_gives_epinephrine_for_anaphylaxis_whatever_the_grade():
    suspected = guidance(Grade.MODERATE, [Symptom.WHEEZE], anaphylaxis_suspected=True)
    severe = guidance(Grade.MILD, [Symptom.HIVES_OR_RASH, Symptom.LOW_BLOOD_PRESSURE])

    for advice in (suspected, severe):
        assert advice.action is InfusionAction.STOP
        assert advice.epinephrine
        assert any("epinephrine" in step for step in advice.steps)
        assert any("epinephrine must be available" in s for s in advice.sources)


def test_it_grades_hypersensitivity_features_as_brown_does():
    assert brown_severity([Symptom.HIVES_OR_RASH, Symptom.FLUSHING]) is BrownSeverity.MILD
    assert brown_severity([Symptom.HIVES_OR_RASH, Symptom.WHEEZE]) is BrownSeverity.MODERATE
    assert brown_severity([Symptom.NAUSEA_OR_VOMITING]) is BrownSeverity.MODERATE
    assert brown_severity([Symptom.THROAT_OR_FACE_SWELLING]) is BrownSeverity.MODERATE  # airway, not skin
    assert brown_severity([Symptom.LOW_OXYGEN]) is BrownSeverity.SEVERE
    assert brown_severity([Symptom.HEADACHE, Symptom.FEVER]) is None

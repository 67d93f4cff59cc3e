"""Every triage rule at its threshold (issue 6), each with a named source."""

from __future__ import annotations

import pytest

from ivig.clinical.triage import (
    EXPECTED_SYMPTOMS,
    RULES,
    Level,
    Severity,
    Symptom,
    fahrenheit_to_celsius,
    triage,
)


def by_temp_f(temp_f: float) -> Level:
    return triage(temp_c=fahrenheit_to_celsius(temp_f), symptoms={}).level


def test_fever_of_101_f_calls_the_care_team_today_and_100_9_f_does_not():
    assert by_temp_f(101.0) is Level.CALL_TODAY
    assert by_temp_f(102.0) is Level.CALL_TODAY
    assert by_temp_f(100.9) is Level.SELF_CARE


def test_fever_of_38_3_c_calls_the_care_team_today_and_38_2_c_does_not():
    assert triage(temp_c=38.3, symptoms={}).level is Level.CALL_TODAY
    assert triage(temp_c=38.2, symptoms={}).level is Level.SELF_CARE
    assert triage(temp_c=38.29, symptoms={}).level is Level.SELF_CARE


def test_a_normal_temperature_and_no_symptoms_is_self_care():
    result = triage(temp_c=36.8, symptoms={})
    assert result.level is Level.SELF_CARE
    assert result.rule_codes == ("temperature_below_call_level",)
    assert triage(temp_c=None, symptoms={}).rule_codes == ("nothing_reported",)


@pytest.mark.parametrize("temp_c", [29.9, 45.1])
def test_it_refuses_an_impossible_temperature(temp_c):
    with pytest.raises(ValueError, match="plausible"):
        triage(temp_c=temp_c, symptoms={})


@pytest.mark.parametrize("symptom", EXPECTED_SYMPTOMS)
def test_expected_symptoms_are_self_care_until_severe(symptom):
    assert triage(temp_c=None, symptoms={symptom: Severity.MILD}).level is Level.SELF_CARE
    assert triage(temp_c=None, symptoms={symptom: Severity.MODERATE}).level is Level.SELF_CARE
    severe = triage(temp_c=None, symptoms={symptom: Severity.SEVERE})
    assert severe.level is Level.CALL_TODAY
    assert severe.rule_codes == ("severe_expected_symptom",)


@pytest.mark.parametrize(
    ("symptom", "rule"),
    [
        (Symptom.HEADACHE_NOT_HELPED, "headache_not_helped"),
        (Symptom.VOMITING_FLUIDS_NOT_KEPT_DOWN, "vomiting_fluids_not_kept_down"),
        (Symptom.RASH_SPREADING, "rash_spreading"),
    ],
)
def test_call_today_symptoms_call_today_even_when_mild(symptom, rule):
    result = triage(temp_c=None, symptoms={symptom: Severity.MILD})
    assert result.level is Level.CALL_TODAY
    assert result.rule_codes == (rule,)


@pytest.mark.parametrize(
    ("symptom", "source_word"),
    [
        (Symptom.TROUBLE_BREATHING, "anaphylaxis"),
        (Symptom.FACE_OR_THROAT_SWELLING, "anaphylaxis"),
        (Symptom.FAINTING, "anaphylaxis"),
        (Symptom.CHEST_PAIN, "thrombosis"),
        (Symptom.LEG_PAIN_OR_SWELLING, "thrombosis"),
        (Symptom.ONE_SIDED_WEAKNESS_OR_NUMBNESS, "thrombosis"),
        (Symptom.CONFUSION, "meningitis"),
        (Symptom.DARK_OR_RED_URINE, "haemolysis"),
        (Symptom.VERY_LITTLE_URINE, "renal"),
    ],
)
def test_emergency_symptoms_mean_call_911_even_when_mild(symptom, source_word):
    result = triage(temp_c=36.9, symptoms={symptom: Severity.MILD, Symptom.TIREDNESS: Severity.MILD})
    assert result.level is Level.EMERGENCY
    assert result.findings[0].symptom is symptom
    assert source_word in result.findings[0].rule.source


STIFF = Symptom.STIFF_NECK_OR_LIGHT_SENSITIVITY


def test_stiff_neck_with_a_severe_headache_is_an_emergency():
    severe = triage(temp_c=None, symptoms={STIFF: Severity.MILD, Symptom.HEADACHE: Severity.SEVERE})
    assert severe.level is Level.EMERGENCY
    assert "meningitis_signs_severe" in severe.rule_codes


@pytest.mark.parametrize("temp_c", [38.3, 39.4, fahrenheit_to_celsius(101.0)])
@pytest.mark.parametrize(
    "symptoms",
    [
        {STIFF: Severity.MILD},
        {Symptom.HEADACHE: Severity.SEVERE},
        {Symptom.HEADACHE_NOT_HELPED: Severity.MILD},
        {Symptom.CONFUSION: Severity.MILD},
    ],
)
def test_a_fever_with_a_sign_of_meningitis_is_an_emergency(temp_c, symptoms):
    result = triage(temp_c=temp_c, symptoms=symptoms)
    assert result.level is Level.EMERGENCY
    assert "meningitis" in result.findings[0].rule.source


def test_39_4_c_with_a_stiff_neck_is_call_911_not_call_today():
    result = triage(temp_c=39.4, symptoms={STIFF: Severity.MILD})
    assert result.level is Level.EMERGENCY
    assert result.rule_codes[0] == "meningitis_signs_with_fever"


def test_a_fever_with_a_mild_headache_is_still_a_call_today():
    result = triage(temp_c=38.5, symptoms={Symptom.HEADACHE: Severity.MODERATE})
    assert result.level is Level.CALL_TODAY


def test_without_a_fever_a_stiff_neck_with_any_headache_is_an_emergency_by_site_rule():
    result = triage(temp_c=37.0, symptoms={STIFF: Severity.MILD, Symptom.HEADACHE: Severity.MILD})
    assert result.level is Level.EMERGENCY
    assert RULES["meningitis_signs_with_headache"].source.startswith("site rule:")


def test_a_stiff_neck_alone_without_fever_or_headache_calls_today_by_site_rule():
    for temp_c in (None, 37.2):
        result = triage(temp_c=temp_c, symptoms={STIFF: Severity.MODERATE})
        assert result.level is Level.CALL_TODAY
        assert "meningitis_signs" in result.rule_codes
    assert RULES["meningitis_signs"].source.startswith("site rule:")
    assert triage(temp_c=None, symptoms={STIFF: Severity.SEVERE}).level is Level.EMERGENCY


def test_the_worst_level_wins_and_every_finding_is_kept_worst_first():
    result = triage(
        temp_c=fahrenheit_to_celsius(102.0),
        symptoms={Symptom.NAUSEA: Severity.MILD, Symptom.CHEST_PAIN: Severity.MODERATE},
    )
    assert result.level is Level.EMERGENCY
    assert result.rule_codes == ("chest_pain", "fever", "expected_symptom")


def test_every_rule_names_its_reference_section_or_is_a_site_rule():
    for rule in RULES.values():
        assert "docs/reference/" in rule.source or rule.source.startswith("site rule:"), rule.code
    assert {Level.SELF_CARE, Level.CALL_TODAY, Level.EMERGENCY} == {rule.level for rule in RULES.values()}

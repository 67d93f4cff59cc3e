"""Triage of an after-infusion diary entry: self-care, call the care team today, or emergency (call 911).

Reactions come up to 72 h after an infusion (ivig-reference.md s8: trials count adverse events during or
within 72 h after an infusion). Each rule names its source: the label warnings (ivig-reference.md s7:
anaphylaxis, thrombosis, renal dysfunction, haemolysis, aseptic meningitis, TRALI), the reference's reaction
grading (s8), and the care team's triage list in issue 6 (fever of 101 F / 38.3 C or more; which symptoms call
for the team today and which for 911). The entry gets the worst level any rule gives; every finding is kept.

Pure Python: the web layer turns rule codes into patient-facing words (and translations).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum, StrEnum

# Issue 6 triage list: "fever of 101 F / 38.3 C or more" calls the care team today; below it is an expected
# reaction ("fever below 101 F"). 101.0 F is 38.33 C, so one Celsius threshold serves both scales: 101.0 F and
# 38.3 C call today, 100.9 F (38.28 C) and 38.2 C do not.
FEVER_CALL_TODAY_C = 38.3
# Entry checks, not clinical thresholds: readings outside these are typing mistakes, not temperatures.
LOWEST_PLAUSIBLE_C = 30.0
HIGHEST_PLAUSIBLE_C = 45.0


class Level(IntEnum):
    """Ordered: a higher level wins."""

    SELF_CARE = 1
    CALL_TODAY = 2
    EMERGENCY = 3

    @property
    def code(self) -> str:
        return {1: "self_care", 2: "call_today", 3: "emergency"}[self.value]


class Severity(IntEnum):
    MILD = 1
    MODERATE = 2
    SEVERE = 3


class Symptom(StrEnum):
    # Expected after IVIG (issue 6 education list): self-care unless severe.
    HEADACHE = "headache"
    CHILLS = "chills"
    NAUSEA = "nausea"
    VOMITING = "vomiting"
    HIVES_OR_RASH = "hives_or_rash"
    MUSCLE_OR_JOINT_PAIN = "muscle_or_joint_pain"
    TIREDNESS = "tiredness"
    # Call the care team today.
    HEADACHE_NOT_HELPED = "headache_not_helped"
    VOMITING_FLUIDS_NOT_KEPT_DOWN = "vomiting_fluids_not_kept_down"
    RASH_SPREADING = "rash_spreading"
    STIFF_NECK_OR_LIGHT_SENSITIVITY = "stiff_neck_or_light_sensitivity"
    # Emergency: call 911.
    TROUBLE_BREATHING = "trouble_breathing"
    FACE_OR_THROAT_SWELLING = "face_or_throat_swelling"
    CHEST_PAIN = "chest_pain"
    LEG_PAIN_OR_SWELLING = "leg_pain_or_swelling"
    ONE_SIDED_WEAKNESS_OR_NUMBNESS = "one_sided_weakness_or_numbness"
    CONFUSION = "confusion"
    DARK_OR_RED_URINE = "dark_or_red_urine"
    VERY_LITTLE_URINE = "very_little_urine"
    FAINTING = "fainting"


EXPECTED_SYMPTOMS = (
    Symptom.HEADACHE,
    Symptom.CHILLS,
    Symptom.NAUSEA,
    Symptom.VOMITING,
    Symptom.HIVES_OR_RASH,
    Symptom.MUSCLE_OR_JOINT_PAIN,
    Symptom.TIREDNESS,
)

LABEL_ANAPHYLAXIS = "label warning: hypersensitivity and anaphylaxis (ivig-reference.md s7, s8)"
LABEL_TRALI = "label warning: transfusion-related acute lung injury (ivig-reference.md s7)"
LABEL_THROMBOSIS = "boxed warning: thrombosis (ivig-reference.md s7)"
LABEL_RENAL = "boxed warning: renal dysfunction and acute renal failure (ivig-reference.md s7)"
LABEL_HAEMOLYSIS = "label warning: haemolysis, onset up to days after (ivig-reference.md s7)"
LABEL_MENINGITIS = "label warning: aseptic meningitis, onset up to 72 h (ivig-reference.md s7)"
ISSUE_TRIAGE = "care team triage list (issue 6)"
VOLUME_DEPLETION = f"{LABEL_RENAL}: volume depletion; {ISSUE_TRIAGE}"
CTCAE_GRADE_3 = "CTCAE v5.0 infusion related reaction grade 3: not rapidly responsive (ivig-reference.md s8)"


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    level: Level
    source: str


RULES: Mapping[str, Rule] = {
    rule.code: rule
    for rule in (
        Rule("trouble_breathing", Level.EMERGENCY, f"{LABEL_ANAPHYLAXIS}; {LABEL_TRALI}; {ISSUE_TRIAGE}"),
        Rule("face_or_throat_swelling", Level.EMERGENCY, f"{LABEL_ANAPHYLAXIS}; {ISSUE_TRIAGE}"),
        Rule("fainting", Level.EMERGENCY, f"{LABEL_ANAPHYLAXIS}; {ISSUE_TRIAGE}"),
        Rule("chest_pain", Level.EMERGENCY, f"{LABEL_THROMBOSIS}; {ISSUE_TRIAGE}"),
        Rule("leg_pain_or_swelling", Level.EMERGENCY, f"{LABEL_THROMBOSIS}; {ISSUE_TRIAGE}"),
        Rule("one_sided_weakness_or_numbness", Level.EMERGENCY, f"{LABEL_THROMBOSIS}; {ISSUE_TRIAGE}"),
        Rule("confusion", Level.EMERGENCY, f"{LABEL_THROMBOSIS}; {LABEL_MENINGITIS}; {ISSUE_TRIAGE}"),
        Rule("meningitis_signs_severe", Level.EMERGENCY, f"{LABEL_MENINGITIS}; {ISSUE_TRIAGE}"),
        Rule("dark_or_red_urine", Level.EMERGENCY, f"{LABEL_HAEMOLYSIS}; {ISSUE_TRIAGE}"),
        Rule("very_little_urine", Level.EMERGENCY, f"{LABEL_RENAL}; {ISSUE_TRIAGE}"),
        Rule("fever", Level.CALL_TODAY, ISSUE_TRIAGE),
        Rule("headache_not_helped", Level.CALL_TODAY, f"{LABEL_MENINGITIS}; {ISSUE_TRIAGE}"),
        Rule("meningitis_signs", Level.CALL_TODAY, LABEL_MENINGITIS),
        Rule(
            "vomiting_fluids_not_kept_down",
            Level.CALL_TODAY,
            VOLUME_DEPLETION,
        ),
        Rule("rash_spreading", Level.CALL_TODAY, f"{LABEL_ANAPHYLAXIS}; {ISSUE_TRIAGE}"),
        Rule("severe_expected_symptom", Level.CALL_TODAY, CTCAE_GRADE_3),
        Rule("expected_symptom", Level.SELF_CARE, ISSUE_TRIAGE),
        Rule("temperature_below_call_level", Level.SELF_CARE, ISSUE_TRIAGE),
        Rule("nothing_reported", Level.SELF_CARE, ISSUE_TRIAGE),
    )
}

# Symptoms that on their own give one rule, whatever their severity.
_DIRECT: Mapping[Symptom, str] = {
    Symptom.TROUBLE_BREATHING: "trouble_breathing",
    Symptom.FACE_OR_THROAT_SWELLING: "face_or_throat_swelling",
    Symptom.FAINTING: "fainting",
    Symptom.CHEST_PAIN: "chest_pain",
    Symptom.LEG_PAIN_OR_SWELLING: "leg_pain_or_swelling",
    Symptom.ONE_SIDED_WEAKNESS_OR_NUMBNESS: "one_sided_weakness_or_numbness",
    Symptom.CONFUSION: "confusion",
    Symptom.DARK_OR_RED_URINE: "dark_or_red_urine",
    Symptom.VERY_LITTLE_URINE: "very_little_urine",
    Symptom.HEADACHE_NOT_HELPED: "headache_not_helped",
    Symptom.VOMITING_FLUIDS_NOT_KEPT_DOWN: "vomiting_fluids_not_kept_down",
    Symptom.RASH_SPREADING: "rash_spreading",
}


@dataclass(frozen=True, slots=True)
class Finding:
    rule: Rule
    symptom: Symptom | None = None


@dataclass(frozen=True, slots=True)
class Triage:
    level: Level
    findings: tuple[Finding, ...]

    @property
    def rule_codes(self) -> tuple[str, ...]:
        return tuple(finding.rule.code for finding in self.findings)


def fahrenheit_to_celsius(temp_f: float) -> float:
    return (temp_f - 32.0) * 5.0 / 9.0


def celsius_to_fahrenheit(temp_c: float) -> float:
    return temp_c * 9.0 / 5.0 + 32.0


def triage(*, temp_c: float | None, symptoms: Mapping[Symptom, Severity]) -> Triage:
    """Triage one diary entry. `symptoms` maps each symptom reported to how bad it is."""
    if temp_c is not None and not LOWEST_PLAUSIBLE_C <= temp_c <= HIGHEST_PLAUSIBLE_C:
        raise ValueError(f"temperature {temp_c} C is not a plausible body temperature")
    findings: list[Finding] = []
    if temp_c is not None:
        # Rounded to 0.01 C so 101.0 F (38.333 C) and 38.3 C meet the threshold and float noise does not.
        code = "fever" if round(temp_c, 2) >= FEVER_CALL_TODAY_C else "temperature_below_call_level"
        findings.append(Finding(RULES[code]))
    for symptom, severity in symptoms.items():
        if symptom in _DIRECT:
            findings.append(Finding(RULES[_DIRECT[symptom]], symptom))
        elif symptom is Symptom.STIFF_NECK_OR_LIGHT_SENSITIVITY:
            headache = symptoms.get(Symptom.HEADACHE)
            severe = headache is Severity.SEVERE or severity is Severity.SEVERE
            findings.append(
                Finding(RULES["meningitis_signs_severe" if severe else "meningitis_signs"], symptom)
            )
        elif severity is Severity.SEVERE:
            findings.append(Finding(RULES["severe_expected_symptom"], symptom))
        else:
            findings.append(Finding(RULES["expected_symptom"], symptom))
    if not findings:
        findings.append(Finding(RULES["nothing_reported"]))
    findings.sort(key=lambda finding: -finding.rule.level)
    return Triage(level=max(finding.rule.level for finding in findings), findings=tuple(findings))

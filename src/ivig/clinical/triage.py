"""Triage of an after-infusion diary entry: self-care, call the care team today, or emergency (call 911).

Reactions come up to 72 h after an infusion (docs/reference/monitoring.md s8: trials count adverse events
during or
within 72 h after an infusion). Each rule names its source: the label warnings (docs/reference/risk.md s7:
anaphylaxis, thrombosis, renal dysfunction, haemolysis, aseptic meningitis, TRALI), the reference's reaction
grading (s8), and the care team's triage list in issue 6 (fever of 101 F / 38.3 C or more; which symptoms call
for the team today and which for 911), which is a site rule: its source says so. The entry gets the worst
level any rule gives; every finding is kept.

RULES is the one table: the diary's triage and the patient education's "call 911 / call today / self-care"
lists are both built from it (the web layer adds only the words), so the two cannot disagree.

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
    # Signs of aseptic meningitis: call today alone, 911 with a fever or a headache (see _meningitis).
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

LABEL_ANAPHYLAXIS = (
    "label warning: hypersensitivity and anaphylaxis "
    "(docs/reference/risk.md s7, docs/reference/monitoring.md s8)"
)
LABEL_TRALI = "label warning: transfusion-related acute lung injury (docs/reference/risk.md s7)"
LABEL_THROMBOSIS = "boxed warning: thrombosis (docs/reference/risk.md s7)"
LABEL_RENAL = "boxed warning: renal dysfunction and acute renal failure (docs/reference/risk.md s7)"
LABEL_HAEMOLYSIS = "label warning: haemolysis, onset up to days after (docs/reference/risk.md s7)"
LABEL_MENINGITIS = "label warning: aseptic meningitis, onset up to 72 h (docs/reference/risk.md s7)"
ISSUE_TRIAGE = "care team triage list (issue 6)"
SITE_TRIAGE = f"site rule: {ISSUE_TRIAGE}"
VOLUME_DEPLETION = f"{LABEL_RENAL}: volume depletion; {ISSUE_TRIAGE}"
FEVER_SOURCE = f"{SITE_TRIAGE}: fever of 101 F / 38.3 C or more"
MENINGITIS_HEADACHE_SITE_RULE = (
    "site rule: a stiff neck or light sensitivity with any headache is treated as aseptic meningitis even "
    f"without a fever (fever may be absent or not yet measured); {LABEL_MENINGITIS}"
)
MENINGITIS_ALONE_SITE_RULE = (
    "site rule: a stiff neck or light sensitivity alone, with no fever and no headache, calls the team today "
    f"and asks for the temperature; {LABEL_MENINGITIS}"
)
CTCAE_GRADE_3 = (
    "CTCAE v5.0 infusion related reaction grade 3: not rapidly responsive (docs/reference/monitoring.md s8)"
)


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    level: Level
    source: str  # names the reference section, or starts "site rule:"
    taught: bool = True  # listed in the patient education; False for bookkeeping ("nothing reported")


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
        # A fever with a meningitis sign inside the 72 h window is aseptic meningitis until a doctor says not.
        Rule("meningitis_signs_with_fever", Level.EMERGENCY, f"{LABEL_MENINGITIS}; {FEVER_SOURCE}"),
        Rule("meningitis_signs_severe", Level.EMERGENCY, f"{LABEL_MENINGITIS}; {ISSUE_TRIAGE}"),
        Rule("meningitis_signs_with_headache", Level.EMERGENCY, MENINGITIS_HEADACHE_SITE_RULE),
        Rule("dark_or_red_urine", Level.EMERGENCY, f"{LABEL_HAEMOLYSIS}; {ISSUE_TRIAGE}"),
        Rule("very_little_urine", Level.EMERGENCY, f"{LABEL_RENAL}; {ISSUE_TRIAGE}"),
        Rule("fever", Level.CALL_TODAY, FEVER_SOURCE),
        Rule("headache_not_helped", Level.CALL_TODAY, f"{LABEL_MENINGITIS}; {ISSUE_TRIAGE}"),
        Rule("meningitis_signs", Level.CALL_TODAY, MENINGITIS_ALONE_SITE_RULE),
        Rule(
            "vomiting_fluids_not_kept_down",
            Level.CALL_TODAY,
            VOLUME_DEPLETION,
        ),
        Rule("rash_spreading", Level.CALL_TODAY, f"{LABEL_ANAPHYLAXIS}; {ISSUE_TRIAGE}"),
        Rule("severe_expected_symptom", Level.CALL_TODAY, CTCAE_GRADE_3),
        Rule("expected_symptom", Level.SELF_CARE, SITE_TRIAGE),
        Rule("temperature_below_call_level", Level.SELF_CARE, FEVER_SOURCE),
        Rule("nothing_reported", Level.SELF_CARE, SITE_TRIAGE, taught=False),
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
    # Rounded to 0.01 C so 101.0 F (38.333 C) and 38.3 C meet the threshold and float noise does not.
    fever = temp_c is not None and round(temp_c, 2) >= FEVER_CALL_TODAY_C
    if temp_c is not None:
        findings.append(Finding(RULES["fever" if fever else "temperature_below_call_level"]))
    for symptom, severity in symptoms.items():
        if fever and _bad_headache(symptom, severity):
            findings.append(Finding(RULES["meningitis_signs_with_fever"], symptom))
        elif symptom in _DIRECT:
            findings.append(Finding(RULES[_DIRECT[symptom]], symptom))
        elif symptom is Symptom.STIFF_NECK_OR_LIGHT_SENSITIVITY:
            findings.append(Finding(RULES[_meningitis(fever, severity, symptoms)], symptom))
        elif severity is Severity.SEVERE:
            findings.append(Finding(RULES["severe_expected_symptom"], symptom))
        else:
            findings.append(Finding(RULES["expected_symptom"], symptom))
    if not findings:
        findings.append(Finding(RULES["nothing_reported"]))
    findings.sort(key=lambda finding: -finding.rule.level)
    return Triage(level=max(finding.rule.level for finding in findings), findings=tuple(findings))


def _bad_headache(symptom: Symptom, severity: Severity) -> bool:
    """A headache that is very bad or not helped by medicine: with a fever, a sign of meningitis (s7)."""
    return symptom is Symptom.HEADACHE_NOT_HELPED or (
        symptom is Symptom.HEADACHE and severity is Severity.SEVERE
    )


def _meningitis(fever: bool, severity: Severity, symptoms: Mapping[Symptom, Severity]) -> str:
    """The rule for a stiff neck or light sensitivity: 911 with a fever or any headache, else call today."""
    if fever:
        return "meningitis_signs_with_fever"
    if severity is Severity.SEVERE or any(_bad_headache(other, level) for other, level in symptoms.items()):
        return "meningitis_signs_severe"
    if Symptom.HEADACHE in symptoms:
        return "meningitis_signs_with_headache"
    return "meningitis_signs"

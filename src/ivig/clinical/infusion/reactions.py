"""What to do when an infusion reaction starts: CTCAE v5.0 grade, symptoms, and the guidance that follows.

Grades and management come from docs/reference/monitoring.md s8 (CTCAE v5.0 "Infusion related reaction"; the
labels'
"slow or stop, resume at a lower tolerated rate"; epinephrine for anaphylaxis; Brown's hypersensitivity
grading). The words are our own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum, StrEnum

CTCAE_SOURCE = "CTCAE v5.0, Infusion related reaction (docs/reference/monitoring.md s8)"
LABEL_MANAGEMENT_SOURCE = (
    "IVIG labels: slow or stop the infusion; if symptoms subside promptly, resume at a lower, tolerated rate "
    "(docs/reference/monitoring.md s8)"
)
ANAPHYLAXIS_SOURCE = (
    "IVIG labels: epinephrine must be available; in anaphylaxis stop the infusion at once "
    "(docs/reference/monitoring.md s8)"
)
BROWN_SOURCE = "Brown grading of hypersensitivity (docs/reference/monitoring.md s8)"
FOLLOW_UP_SOURCE = (
    "adverse events are counted during and within 72 h after an infusion (docs/reference/monitoring.md s8)"
)
SNOMED_ANAPHYLAXIS = "39579001"  # docs/reference/codes.md s11


class Grade(IntEnum):
    MILD = 1
    MODERATE = 2
    SEVERE = 3
    LIFE_THREATENING = 4
    DEATH = 5


GRADE_TEXT = {
    Grade.MILD: "Grade 1: mild, transient; no interruption or treatment needed",
    Grade.MODERATE: "Grade 2: infusion interruption indicated; settles promptly with symptomatic treatment",
    Grade.SEVERE: "Grade 3: prolonged, not settling promptly, back after improving, or needs hospital care",
    Grade.LIFE_THREATENING: "Grade 4: life-threatening; urgent intervention indicated",
    Grade.DEATH: "Grade 5: death",
}


class Symptom(StrEnum):
    FEVER = "fever"
    CHILLS = "chills"
    HIVES_OR_RASH = "hives_or_rash"
    ITCHING = "itching"
    FLUSHING = "flushing"
    HEADACHE = "headache"
    NAUSEA_OR_VOMITING = "nausea_or_vomiting"
    MUSCLE_OR_JOINT_PAIN = "muscle_or_joint_pain"
    BACK_PAIN = "back_pain"
    FATIGUE = "fatigue"
    CHEST_TIGHTNESS = "chest_tightness"
    BREATHLESSNESS = "breathlessness"
    WHEEZE = "wheeze"
    THROAT_OR_FACE_SWELLING = "throat_or_face_swelling"
    LOW_BLOOD_PRESSURE = "low_blood_pressure"
    LOW_OXYGEN = "low_oxygen"
    CONFUSION_OR_COLLAPSE = "confusion_or_collapse"
    OTHER = "other"


SYMPTOM_LABELS: dict[Symptom, str] = {
    Symptom.FEVER: "Fever",
    Symptom.CHILLS: "Chills",
    Symptom.HIVES_OR_RASH: "Hives or rash",
    Symptom.ITCHING: "Itching",
    Symptom.FLUSHING: "Flushing",
    Symptom.HEADACHE: "Headache",
    Symptom.NAUSEA_OR_VOMITING: "Nausea or vomiting",
    Symptom.MUSCLE_OR_JOINT_PAIN: "Muscle or joint pain",
    Symptom.BACK_PAIN: "Back pain",
    Symptom.FATIGUE: "Fatigue",
    Symptom.CHEST_TIGHTNESS: "Chest tightness",
    Symptom.BREATHLESSNESS: "Breathlessness",
    Symptom.WHEEZE: "Wheeze",
    Symptom.THROAT_OR_FACE_SWELLING: "Throat or face swelling",
    Symptom.LOW_BLOOD_PRESSURE: "Low blood pressure",
    Symptom.LOW_OXYGEN: "Low oxygen saturation",
    Symptom.CONFUSION_OR_COLLAPSE: "Confusion or collapse",
    Symptom.OTHER: "Other (describe)",
}

# SNOMED CT codes the reference gives (s11); the others are left for the terminology work.
SYMPTOM_SNOMED: dict[Symptom, str] = {Symptom.HEADACHE: "25064002", Symptom.CHILLS: "43724002"}

# Brown's grading: skin only is mild; respiratory, cardiovascular or gut features moderate; hypoxia,
# hypotension or neurological compromise severe. Throat or face swelling threatens the airway, so it is never
# "skin only": it counts with the moderate features.
_SKIN = frozenset({Symptom.HIVES_OR_RASH, Symptom.ITCHING, Symptom.FLUSHING})
_AIRWAY = frozenset({Symptom.THROAT_OR_FACE_SWELLING})
_MODERATE = frozenset(
    {Symptom.CHEST_TIGHTNESS, Symptom.BREATHLESSNESS, Symptom.WHEEZE, Symptom.NAUSEA_OR_VOMITING}
)
_SEVERE = frozenset({Symptom.LOW_BLOOD_PRESSURE, Symptom.LOW_OXYGEN, Symptom.CONFUSION_OR_COLLAPSE})

# The entered CTCAE grade must not talk the guidance down from anaphylaxis; the record is raised to this.
ANAPHYLAXIS_LEAST_GRADE = Grade.SEVERE
ANAPHYLAXIS_GRADE_SOURCE = (
    "site rule: anaphylaxis is recorded as at least grade 3 (CTCAE v5.0 grades its 'Anaphylaxis' term "
    "from 3; that term is not in docs/reference/monitoring.md s8)"
)


class BrownSeverity(StrEnum):
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


class InfusionAction(StrEnum):
    CONTINUE_OR_SLOW = "continue_or_slow"
    PAUSE = "pause"
    STOP = "stop"


@dataclass(frozen=True, slots=True)
class Guidance:
    grade: Grade  # the grade to record: the one entered, raised for anaphylaxis
    action: InfusionAction
    headline: str
    steps: tuple[str, ...]
    epinephrine: bool
    call_prescriber: bool
    may_resume: bool  # after a pause, once settled, at a lower tolerated rate
    brown: BrownSeverity | None
    sources: tuple[str, ...]
    grade_entered: Grade | None = None  # set when the symptoms raised the grade above the one entered

    @property
    def grade_raised(self) -> bool:
        return self.grade_entered is not None


def brown_severity(symptoms: Iterable[Symptom]) -> BrownSeverity | None:
    """Classify hypersensitivity features by Brown's grading; None when there are none to classify."""
    present = set(symptoms)
    if present & _SEVERE:
        return BrownSeverity.SEVERE
    if present & (_MODERATE | _AIRWAY):
        return BrownSeverity.MODERATE
    if present & _SKIN:
        return BrownSeverity.MILD
    return None


def anaphylaxis_features(symptoms: Iterable[Symptom]) -> bool:
    """True when the symptoms themselves mean anaphylaxis, whatever grade was chosen.

    Skin features together with respiratory, cardiovascular or gut features (Brown moderate with skin
    involvement), airway swelling on its own, or any of Brown's severe features.
    """
    present = set(symptoms)
    return bool(present & (_SEVERE | _AIRWAY)) or bool(present & _SKIN and present & _MODERATE)


# What to do for the grades that do not stop the infusion (CTCAE_SOURCE, LABEL_MANAGEMENT_SOURCE).
_MAY_CONTINUE: dict[Grade, tuple[InfusionAction, str, tuple[str, ...]]] = {
    Grade.MILD: (
        InfusionAction.CONTINUE_OR_SLOW,
        "Continue, or slow the rate; watch closely",
        (
            "The infusion may continue at this rate or a lower one: do not step up until it has passed.",
            "Check vital signs now and again before the next rate increase.",
            "If symptoms grow or need treatment, record a new grade.",
        ),
    ),
    Grade.MODERATE: (
        InfusionAction.PAUSE,
        "Pause the infusion, treat the symptoms, restart at a lower rate once settled",
        (
            "Pause the pump now and record the time.",
            "Give symptomatic treatment as prescribed (antihistamine, NSAID, IV fluids) and record it.",
            "Check vital signs and stay with the patient.",
            "If the symptoms settle promptly, restart at the last tolerated rate (the lower rate before "
            "this one) and step up again as the plan allows.",
            "If they do not settle or come back after improving, it is grade 3: stop and call the "
            "prescriber.",
            "Tell the prescriber: premedication may be needed before the next infusion.",
        ),
    ),
}


def guidance(grade: Grade, symptoms: Iterable[Symptom], *, anaphylaxis_suspected: bool = False) -> Guidance:
    """Return what to do now for a reaction of this grade and these symptoms."""
    symptoms = tuple(symptoms)
    brown = brown_severity(symptoms)
    anaphylaxis = anaphylaxis_suspected or anaphylaxis_features(symptoms)
    sources = [CTCAE_SOURCE, LABEL_MANAGEMENT_SOURCE]
    if brown is not None:
        sources.append(BROWN_SOURCE)
    if anaphylaxis:
        sources.append(ANAPHYLAXIS_SOURCE)
    entered = None
    if anaphylaxis and grade < ANAPHYLAXIS_LEAST_GRADE:
        entered, grade = grade, ANAPHYLAXIS_LEAST_GRADE
        sources.append(ANAPHYLAXIS_GRADE_SOURCE)
    sources.append(FOLLOW_UP_SOURCE)
    if anaphylaxis or grade >= Grade.SEVERE:
        return _stop(grade, anaphylaxis, brown, tuple(sources), entered)
    action, headline, steps = _MAY_CONTINUE[grade]
    return Guidance(
        grade,
        action,
        headline,
        steps,
        epinephrine=False,
        call_prescriber=False,
        may_resume=True,
        brown=brown,
        sources=tuple(sources),
    )


def _stop(
    grade: Grade,
    anaphylaxis: bool,
    brown: BrownSeverity | None,
    sources: tuple[str, ...],
    entered: Grade | None = None,
) -> Guidance:
    steps = ["Stop the infusion now and record the time. Do not restart it today."]
    if anaphylaxis:
        steps.append("Anaphylaxis: give epinephrine (adrenaline) by the site's anaphylaxis protocol.")
    steps += [
        "Start emergency treatment by the site's procedure (airway, breathing, circulation, oxygen, fluids).",
        "Call for help (the site's emergency team) and call the prescriber now.",
        "Check vital signs often and record every treatment and its time.",
    ]
    if grade is Grade.DEATH:
        steps.append("Follow the site's procedure after a death and inform the prescriber.")
    if entered is not None:
        steps.append(
            f"Recorded as grade {int(grade)}, not the grade {int(entered)} entered: these symptoms are "
            "anaphylaxis."
        )
    headline = "Stop the infusion: emergency treatment, call the prescriber"
    if anaphylaxis:
        headline = "Anaphylaxis: stop the infusion, give epinephrine, call for help"
    return Guidance(
        grade,
        InfusionAction.STOP,
        headline,
        tuple(steps),
        epinephrine=anaphylaxis,
        call_prescriber=True,
        may_resume=False,
        brown=brown,
        sources=sources,
        grade_entered=entered,
    )

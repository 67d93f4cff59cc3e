"""Patient-facing words for the triage: what each symptom is called and what each finding means.

The clinical core gives levels and rule codes; this module gives them words (English, and Spanish through
Django's translations). Every rule in `ivig.clinical.triage.RULES` has a message (a test checks), and every
rule taught to families has the line the education page lists it by: the page's "call 911 / call today /
self-care" lists are built from the core's RULES (`education_lists`), so they say what the diary says.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise as Promise

from ivig.clinical.triage import RULES, Level, Severity, Symptom

SYMPTOM_LABELS: dict[Symptom, Promise] = {
    Symptom.HEADACHE: _("Headache"),
    Symptom.CHILLS: _("Chills or shivering"),
    Symptom.NAUSEA: _("Feeling sick to the stomach (nausea)"),
    Symptom.VOMITING: _("Throwing up (vomiting), but drinks stay down"),
    Symptom.HIVES_OR_RASH: _("Hives or rash"),
    Symptom.MUSCLE_OR_JOINT_PAIN: _("Sore muscles or joints"),
    Symptom.TIREDNESS: _("Tiredness"),
    Symptom.HEADACHE_NOT_HELPED: _("Headache that pain medicine does not help"),
    Symptom.VOMITING_FLUIDS_NOT_KEPT_DOWN: _("Throwing up so that drinks do not stay down"),
    Symptom.RASH_SPREADING: _("A rash that is spreading"),
    Symptom.STIFF_NECK_OR_LIGHT_SENSITIVITY: _("Stiff neck, or light hurts the eyes"),
    Symptom.TROUBLE_BREATHING: _("Trouble breathing"),
    Symptom.FACE_OR_THROAT_SWELLING: _("Swelling of the face, lips, tongue or throat"),
    Symptom.CHEST_PAIN: _("Chest pain"),
    Symptom.LEG_PAIN_OR_SWELLING: _("Sudden pain or swelling in one leg"),
    Symptom.ONE_SIDED_WEAKNESS_OR_NUMBNESS: _("Weakness or numbness on one side of the body"),
    Symptom.CONFUSION: _("Confusion, or hard to wake up"),
    Symptom.DARK_OR_RED_URINE: _("Dark, brown or red pee (urine)"),
    Symptom.VERY_LITTLE_URINE: _("Peeing much less than usual"),
    Symptom.FAINTING: _("Fainting or passing out"),
}

SEVERITY_LABELS: dict[Severity, Promise] = {
    Severity.MILD: _("A little"),
    Severity.MODERATE: _("Medium"),
    Severity.SEVERE: _("Very bad"),
}

LEVEL_HEADINGS: dict[Level, Promise] = {
    Level.SELF_CARE: _("You can look after this at home"),
    Level.CALL_TODAY: _("Call the care team today"),
    Level.EMERGENCY: _("Emergency: call 911 now"),
}

LEVEL_ADVICE: dict[Level, Promise] = {
    Level.SELF_CARE: _(
        "These are common after immunoglobulin and usually go away in a day or two. Rest, drink plenty of "
        "water, and use the pain or fever medicine your care team told you about. Record again if anything "
        "changes or gets worse."
    ),
    Level.CALL_TODAY: _(
        "Please call the nurse line today. If it is after hours, call the after-hours number. If it gets "
        "worse or you are worried, call 911."
    ),
    Level.EMERGENCY: _(
        "Call 911 or go to the nearest emergency department now. Do not drive yourself. Tell them about "
        "the immunoglobulin (IVIG) infusion."
    ),
}

RULE_MESSAGES: dict[str, Promise] = {
    "trouble_breathing": _("Trouble breathing can be a serious allergic reaction or a lung problem."),
    "face_or_throat_swelling": _("Swelling of the face or throat can be a serious allergic reaction."),
    "fainting": _("Fainting can be a sign of a serious allergic reaction."),
    "chest_pain": _("Chest pain can be a sign of a blood clot."),
    "leg_pain_or_swelling": _("Sudden pain or swelling in a leg can be a sign of a blood clot."),
    "one_sided_weakness_or_numbness": _("Weakness or numbness on one side can be a sign of a stroke."),
    "confusion": _("Confusion needs a doctor to check the brain right away."),
    "meningitis_signs_with_fever": _(
        "A fever with a stiff neck, pain from light or a very bad headache can be meningitis: it needs to be "
        "checked right away."
    ),
    "meningitis_signs_severe": _(
        "A very bad headache with a stiff neck or pain from light needs to be checked right away."
    ),
    "meningitis_signs_with_headache": _(
        "A headache with a stiff neck or pain from light needs to be checked right away, even without a "
        "fever."
    ),
    "dark_or_red_urine": _("Dark or red pee can mean red blood cells are breaking down."),
    "very_little_urine": _("Peeing much less than usual can mean the kidneys are not working well."),
    "fever": _("A temperature of 101 °F (38.3 °C) or more needs a call to the care team."),
    "headache_not_helped": _("A headache that pain medicine does not help needs a call to the care team."),
    "meningitis_signs": _(
        "A stiff neck or pain from light needs a call to the care team. Take your temperature: if it is "
        "101 °F (38.3 °C) or more, or a headache starts, call 911."
    ),
    "vomiting_fluids_not_kept_down": _(
        "When drinks do not stay down, the body can get dry, which is hard on the kidneys."
    ),
    "rash_spreading": _("A rash that keeps spreading needs a call to the care team."),
    "severe_expected_symptom": _("A symptom that is very bad needs a call to the care team."),
    "expected_symptom": _("This is a common, mild reaction."),
    "temperature_below_call_level": _("Your temperature is below 101 °F (38.3 °C)."),
    "nothing_reported": _("Nothing worrying was recorded."),
}

# How the education page lists each rule taught to families (some rules cover several symptoms).
EDUCATION_LINES: dict[str, tuple[Promise, ...]] = {
    "trouble_breathing": (_("trouble breathing"),),
    "face_or_throat_swelling": (_("swelling of the face, lips, tongue or throat"),),
    "fainting": (_("fainting"),),
    "chest_pain": (_("chest pain"),),
    "leg_pain_or_swelling": (_("sudden pain or swelling in one leg"),),
    "one_sided_weakness_or_numbness": (_("weakness or numbness on one side of the body"),),
    "confusion": (_("confusion, or being hard to wake up"),),
    "meningitis_signs_with_fever": (
        _(
            "a fever of 101 °F (38.3 °C) or more with a stiff neck, light that hurts the eyes, or a very "
            "bad headache"
        ),
    ),
    "meningitis_signs_severe": (
        _("a stiff neck or light that hurts the eyes, when it is very bad or comes with a very bad headache"),
    ),
    "meningitis_signs_with_headache": (
        _("a stiff neck or light that hurts the eyes together with any headache, even without a fever"),
    ),
    "dark_or_red_urine": (_("dark or red pee"),),
    "very_little_urine": (_("much less pee than usual"),),
    "fever": (_("a fever of 101 °F (38.3 °C) or more"),),
    "headache_not_helped": (_("a headache that pain medicine does not help"),),
    "meningitis_signs": (
        _("a stiff neck or light that hurts the eyes, with no fever and no headache (take the temperature)"),
    ),
    "vomiting_fluids_not_kept_down": (_("throwing up so that drinks do not stay down"),),
    "rash_spreading": (_("a rash that is spreading"),),
    "severe_expected_symptom": (_("any of the common reactions above, when it is very bad"),),
    "expected_symptom": (
        _("a headache that pain medicine helps"),
        _("chills or shivering"),
        _("feeling sick to the stomach, or throwing up"),
        _("hives or a rash"),
        _("sore muscles and joints"),
        _("feeling tired"),
    ),
    "temperature_below_call_level": (_("fever below 101 °F (38.3 °C)"),),
}


def education_lists() -> dict[Level, list[Promise]]:
    """The education page's lists, one per triage level, in the core's rule order."""
    lists: dict[Level, list[Promise]] = {level: [] for level in Level}
    for rule in RULES.values():
        if rule.taught:
            lists[rule.level].extend(EDUCATION_LINES[rule.code])
    return lists

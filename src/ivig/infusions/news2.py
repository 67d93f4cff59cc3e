"""NEWS2 on the flowsheet: who is scored (adults, unless the site switched it off), on which SpO2 scale, and
which children have no site ranges so that nothing would be flagged for them.

The scoring itself is the clinical core's (ivig.clinical.infusion.news2); this module only gathers the site's
choices and the patient's facts for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ivig.clinical.infusion.news2 import (
    Consciousness,
    News2Input,
    Spo2Scale,
    not_scored_because,
    score_news2,
)
from ivig.clinical.infusion.vitals import MEASURES, Measure, range_for
from ivig.infusions import config
from ivig.infusions.models import InfusionSession, Spo2ScaleChoice
from ivig.siteconfig.models import SiteSettings

# The measures a child's flowsheet needs a site range for; diastolic follows systolic on the same cuff.
CHILD_MEASURES = (
    Measure.TEMPERATURE_C,
    Measure.HEART_RATE,
    Measure.SYSTOLIC,
    Measure.RESPIRATORY_RATE,
    Measure.SPO2,
)
NO_RANGES = "No vital-sign ranges for this age: nothing is flagged; the site must set them."


def age_years(session: InfusionSession, day: date) -> float:
    years, months = session.patient.age_on(day)
    return years + months / 12


def pregnant(session: InfusionSession) -> bool:
    # The order asks for a pre-pregnancy weight only when the patient is pregnant (docs/reference/dosing.md
    # s6).
    return session.order.pre_pregnancy_weight_kg is not None


def spo2_scale(session: InfusionSession) -> Spo2Scale:
    choice = Spo2ScaleChoice.objects.filter(patient_id=session.patient_id).first()
    return Spo2Scale(choice.scale) if choice is not None else Spo2Scale.ONE


def site_scores_news2() -> bool:
    return SiteSettings.load().news2_for_adults


def why_not_scored(session: InfusionSession, day: date) -> str:
    """Why this patient's vital signs get no NEWS2, or "" when they do."""
    if not site_scores_news2():
        return "NEWS2 is switched off in the site settings: only the site's vital-sign ranges flag."
    return not_scored_because(age_years(session, day), pregnant(session))


def score(session: InfusionSession, day: date, values: dict[str, Any]) -> dict[str, Any] | None:
    """The NEWS2 score of one set of readings as kept with them, or None when NEWS2 does not apply."""
    if not site_scores_news2():
        return None
    level = values.get("consciousness") or None
    temperature = values.get("temperature_c")
    result = score_news2(
        News2Input(
            respiration_rate=values.get("respiratory_rate"),
            spo2=values.get("spo2"),
            on_oxygen=values.get("on_oxygen"),
            systolic=values.get("systolic"),
            pulse=values.get("heart_rate"),
            consciousness=None if level is None else Consciousness(level),
            temperature_c=None if temperature is None else float(temperature),
        ),
        age_years=age_years(session, day),
        pregnant=pregnant(session),
        scale=spo2_scale(session),
    )
    return None if result is None else result.as_dict()


@dataclass(frozen=True)
class RangeGap:
    """The site ranges a patient without NEWS2 lacks: all of them, or some measures."""

    missing: tuple[str, ...]
    none_set: bool

    @property
    def message(self) -> str:
        if self.none_set:
            return NO_RANGES
        return (
            f"No vital-sign range for this age for {', '.join(self.missing)}: these are not flagged; "
            "the site must set them."
        )


def range_gap(session: InfusionSession, day: date) -> RangeGap | None:
    """For a patient NEWS2 does not score, the measures with no site range for the age (None: all set)."""
    if not why_not_scored(session, day):
        return None
    age = age_years(session, day)
    ranges = config.vital_ranges()
    missing = tuple(MEASURES[m].label for m in CHILD_MEASURES if range_for(ranges, m, age) is None)
    if not missing:
        return None
    return RangeGap(missing=missing, none_set=len(missing) == len(CHILD_MEASURES))

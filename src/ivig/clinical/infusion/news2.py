"""NEWS2, the National Early Warning Score 2, for adults: each vital sign scores 0-3; the total sets the
response.

Royal College of Physicians 2017, as tabulated in docs/reference/monitoring.md s14. It is validated for adults
of 16 and
over, not in pregnancy or in children: for them `score_news2` returns None and the site's own ranges flag
(paediatric scores vary by hospital, so none is built in). A parameter that was not measured is not a 0: the
score says it is partial and names what is missing, and its band is the least the patient needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Any

SOURCE = "RCP National Early Warning Score 2, 2017 (docs/reference/monitoring.md s14)"
# Reference s14 names scale 2's use and its 88-92 % target; the band cut-offs are the RCP chart's own.
SCALE_2_SOURCE = (
    "RCP NEWS2 2017 chart 1, SpO2 scale 2 (docs/reference/monitoring.md s14 gives its 88-92 % target; "
    "the bands are the chart's)"
)
MIN_AGE_YEARS = 16.0
NOT_FOR_CHILDREN = (
    "NEWS2 is not scored under 16 years: it is not validated in children. The site's vital-sign ranges "
    f"for the age flag instead. ({SOURCE})"
)
NOT_IN_PREGNANCY = (
    "NEWS2 is not scored in pregnancy: it is not validated there. The site's vital-sign ranges flag "
    f"instead. ({SOURCE})"
)


class Consciousness(StrEnum):
    """ACVPU: alert, or new confusion, or responds to voice, to pain, or unresponsive."""

    ALERT = "alert"
    NEW_CONFUSION = "confusion"
    VOICE = "voice"
    PAIN = "pain"
    UNRESPONSIVE = "unresponsive"


CONSCIOUSNESS_LABELS: dict[Consciousness, str] = {
    Consciousness.ALERT: "Alert",
    Consciousness.NEW_CONFUSION: "New confusion",
    Consciousness.VOICE: "Responds to voice",
    Consciousness.PAIN: "Responds to pain",
    Consciousness.UNRESPONSIVE: "Unresponsive",
}


class Spo2Scale(IntEnum):
    ONE = 1  # the default
    TWO = 2  # a clinician's choice for a patient with confirmed hypercapnic respiratory failure


class Parameter(StrEnum):
    RESPIRATION_RATE = "respiration_rate"
    SPO2 = "spo2"
    AIR_OR_OXYGEN = "air_or_oxygen"
    SYSTOLIC = "systolic"
    PULSE = "pulse"
    CONSCIOUSNESS = "consciousness"
    TEMPERATURE = "temperature"


PARAMETER_LABELS: dict[Parameter, str] = {
    Parameter.RESPIRATION_RATE: "respiration rate",
    Parameter.SPO2: "SpO2",
    Parameter.AIR_OR_OXYGEN: "air or oxygen",
    Parameter.SYSTOLIC: "systolic blood pressure",
    Parameter.PULSE: "pulse",
    Parameter.CONSCIOUSNESS: "consciousness",
    Parameter.TEMPERATURE: "temperature",
}


class Band(StrEnum):
    """The clinical response; ordered from the least to the most urgent."""

    ROUTINE = "routine"
    NURSE_ASSESSES = "nurse_assesses"
    URGENT_WARD_REVIEW = "urgent_ward_review"
    URGENT_RESPONSE = "urgent_response"
    EMERGENCY_RESPONSE = "emergency_response"


BAND_TEXT: dict[Band, str] = {
    Band.ROUTINE: "Routine monitoring",
    Band.NURSE_ASSESSES: "A registered nurse assesses",
    Band.URGENT_WARD_REVIEW: "Urgent ward-based review (one parameter scored 3)",
    Band.URGENT_RESPONSE: "Urgent response: clinician review, observations at least hourly",
    Band.EMERGENCY_RESPONSE: "Emergency response: critical-care competencies, continuous monitoring",
}


@dataclass(frozen=True, slots=True)
class News2Input:
    """One set of observations; None where it was not measured."""

    respiration_rate: int | None = None
    spo2: int | None = None
    on_oxygen: bool | None = None
    systolic: int | None = None
    pulse: int | None = None
    consciousness: Consciousness | None = None
    temperature_c: float | None = None


@dataclass(frozen=True, slots=True)
class ParameterScore:
    parameter: Parameter
    value: str  # as shown
    score: int
    source: str


@dataclass(frozen=True, slots=True)
class News2Score:
    scores: tuple[ParameterScore, ...]
    missing: tuple[Parameter, ...]
    scale: Spo2Scale
    total: int
    single_three: bool
    band: Band
    source: str = SOURCE

    @property
    def partial(self) -> bool:
        return bool(self.missing)

    @property
    def band_text(self) -> str:
        return BAND_TEXT[self.band]

    @property
    def summary(self) -> str:
        """One line for the record, e.g. "NEWS2 2: A registered nurse assesses"."""
        if not self.partial:
            return f"NEWS2 {self.total}: {self.band_text}"
        missing = ", ".join(PARAMETER_LABELS[p] for p in self.missing)
        return f"NEWS2 {self.total} (partial, not measured: {missing}): at least {self.band_text.lower()}"

    def as_dict(self) -> dict[str, Any]:
        """Kept with the reading, so the record shows the score as it was shown at the bedside."""
        return {
            "total": self.total,
            "band": self.band.value,
            "band_text": self.band_text,
            "single_three": self.single_three,
            "partial": self.partial,
            "missing": [PARAMETER_LABELS[p] for p in self.missing],
            "scale": int(self.scale),
            "scores": {s.parameter.value: s.score for s in self.scores},
            "summary": self.summary,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class _Bands:
    """One row of the chart: each band's score by the highest value in it, and the score above the last."""

    upto: tuple[tuple[int, int], ...]  # (highest value in the band, its score), lowest band first
    above: int

    def score(self, value: int) -> int:
        for highest, score in self.upto:
            if value <= highest:
                return score
        return self.above


# RCP NEWS2 2017 chart 1 (SOURCE; SCALE_2_SOURCE for SpO2 scale 2), band by band.
_RESPIRATION = _Bands(((8, 3), (11, 1), (20, 0), (24, 2)), above=3)
_SPO2_SCALE_1 = _Bands(((91, 3), (93, 2), (95, 1)), above=0)
# Scale 2: 88-92 % scores 0, and so does 93 % or more on air; on oxygen 93 % or more scores again.
_SPO2_SCALE_2_ON_AIR = _Bands(((83, 3), (85, 2), (87, 1)), above=0)
_SPO2_SCALE_2_ON_OXYGEN = _Bands(((83, 3), (85, 2), (87, 1), (92, 0), (94, 1), (96, 2)), above=3)
_SYSTOLIC = _Bands(((90, 3), (100, 2), (110, 1), (219, 0)), above=3)
_PULSE = _Bands(((40, 3), (50, 1), (90, 0), (110, 1), (130, 2)), above=3)
# The table's bands are in tenths of a degree: 38.0 scores 0 and 38.05 reads as 38.1.
_TEMPERATURE_TENTHS = _Bands(((350, 3), (360, 1), (380, 0), (390, 1)), above=2)


def _spo2_scale_2(spo2: int, on_oxygen: bool | None) -> int | None:
    """None when 93 % or more and nobody said whether it was on air or oxygen: the score depends on it."""
    if spo2 > 92 and on_oxygen is None:
        return None
    return (_SPO2_SCALE_2_ON_OXYGEN if on_oxygen else _SPO2_SCALE_2_ON_AIR).score(spo2)


def band_for(total: int, single_three: bool) -> Band:
    if total >= 7:
        return Band.EMERGENCY_RESPONSE
    if total >= 5:
        return Band.URGENT_RESPONSE
    if single_three:
        return Band.URGENT_WARD_REVIEW
    if total >= 1:
        return Band.NURSE_ASSESSES
    return Band.ROUTINE


def not_scored_because(age_years: float, pregnant: bool = False) -> str:
    """Why NEWS2 does not apply to this patient, or "" when it does."""
    if age_years < MIN_AGE_YEARS:
        return NOT_FOR_CHILDREN
    if pregnant:
        return NOT_IN_PREGNANCY
    return ""


def score_news2(
    values: News2Input,
    *,
    age_years: float,
    pregnant: bool = False,
    scale: Spo2Scale = Spo2Scale.ONE,
) -> News2Score | None:
    """Score what was measured; None for a child or in pregnancy (see `not_scored_because`)."""
    if not_scored_because(age_years, pregnant):
        return None
    scores: list[ParameterScore] = []
    missing: list[Parameter] = []

    def add(parameter: Parameter, value: str, score: int | None, source: str = SOURCE) -> None:
        if score is None:
            missing.append(parameter)
        else:
            scores.append(ParameterScore(parameter, value, score, source))

    v = values
    if v.respiration_rate is None:
        missing.append(Parameter.RESPIRATION_RATE)
    else:
        add(Parameter.RESPIRATION_RATE, f"{v.respiration_rate}/min", _RESPIRATION.score(v.respiration_rate))
    if v.spo2 is None:
        missing.append(Parameter.SPO2)
    elif scale is Spo2Scale.TWO:
        add(Parameter.SPO2, f"{v.spo2} % (scale 2)", _spo2_scale_2(v.spo2, v.on_oxygen), SCALE_2_SOURCE)
    else:
        add(Parameter.SPO2, f"{v.spo2} %", _SPO2_SCALE_1.score(v.spo2))
    if v.on_oxygen is None:
        missing.append(Parameter.AIR_OR_OXYGEN)
    else:
        add(Parameter.AIR_OR_OXYGEN, "oxygen" if v.on_oxygen else "air", 2 if v.on_oxygen else 0)
    if v.systolic is None:
        missing.append(Parameter.SYSTOLIC)
    else:
        add(Parameter.SYSTOLIC, f"{v.systolic} mmHg", _SYSTOLIC.score(v.systolic))
    if v.pulse is None:
        missing.append(Parameter.PULSE)
    else:
        add(Parameter.PULSE, f"{v.pulse}/min", _PULSE.score(v.pulse))
    if v.consciousness is None:
        missing.append(Parameter.CONSCIOUSNESS)
    else:
        score = 0 if v.consciousness is Consciousness.ALERT else 3
        add(Parameter.CONSCIOUSNESS, CONSCIOUSNESS_LABELS[v.consciousness], score)
    if v.temperature_c is None:
        missing.append(Parameter.TEMPERATURE)
    else:
        tenths = round(v.temperature_c * 10)
        add(Parameter.TEMPERATURE, f"{v.temperature_c:.1f} °C", _TEMPERATURE_TENTHS.score(tenths))

    total = sum(s.score for s in scores)
    single_three = any(s.score == 3 for s in scores)
    order = list(Parameter)
    return News2Score(
        scores=tuple(scores),
        missing=tuple(sorted(missing, key=order.index)),
        scale=scale,
        total=total,
        single_three=single_three,
        band=band_for(total, single_three),
    )

"""NEWS2 (docs/reference/monitoring.md s14): every band edge of the table, the response bands, partial scores,
and no
score under 16 years or in pregnancy."""

from __future__ import annotations

import pytest

from ivig.clinical.infusion.news2 import (
    SCALE_2_SOURCE,
    SOURCE,
    Band,
    Consciousness,
    News2Input,
    Parameter,
    Spo2Scale,
    band_for,
    not_scored_because,
    score_news2,
)

ADULT = 40.0
# Every value a parameter scores 0 for: used to isolate one parameter at a time.
CALM = News2Input(
    respiration_rate=16,
    spo2=98,
    on_oxygen=False,
    systolic=120,
    pulse=70,
    consciousness=Consciousness.ALERT,
    temperature_c=37.0,
)


def _one(parameter: Parameter, **change: object) -> int:
    values = News2Input(**{**_fields(CALM), **change})  # type: ignore[arg-type]
    result = score_news2(values, age_years=ADULT)
    assert result is not None
    return next(s.score for s in result.scores if s.parameter is parameter)


@pytest.mark.parametrize(
    ("rate", "score"), [(8, 3), (9, 1), (11, 1), (12, 0), (20, 0), (21, 2), (24, 2), (25, 3)]
)
def test_it_scores_the_respiration_rate_at_every_band_edge(rate: int, score: int) -> None:
    assert _one(Parameter.RESPIRATION_RATE, respiration_rate=rate) == score


@pytest.mark.parametrize(("spo2", "score"), [(91, 3), (92, 2), (93, 2), (94, 1), (95, 1), (96, 0), (100, 0)])
def test_it_scores_spo2_on_scale_1_at_every_band_edge(spo2: int, score: int) -> None:
    assert _one(Parameter.SPO2, spo2=spo2) == score


def test_it_scores_oxygen_2_and_air_0() -> None:
    assert _one(Parameter.AIR_OR_OXYGEN, on_oxygen=True) == 2
    assert _one(Parameter.AIR_OR_OXYGEN, on_oxygen=False) == 0


@pytest.mark.parametrize(
    ("systolic", "score"), [(90, 3), (91, 2), (100, 2), (101, 1), (110, 1), (111, 0), (219, 0), (220, 3)]
)
def test_it_scores_the_systolic_pressure_at_every_band_edge(systolic: int, score: int) -> None:
    assert _one(Parameter.SYSTOLIC, systolic=systolic) == score


@pytest.mark.parametrize(
    ("pulse", "score"),
    [(40, 3), (41, 1), (50, 1), (51, 0), (90, 0), (91, 1), (110, 1), (111, 2), (130, 2), (131, 3)],
)
def test_it_scores_the_pulse_at_every_band_edge(pulse: int, score: int) -> None:
    assert _one(Parameter.PULSE, pulse=pulse) == score


@pytest.mark.parametrize(
    ("temp", "score"),
    [(35.0, 3), (35.1, 1), (36.0, 1), (36.1, 0), (38.0, 0), (38.1, 1), (39.0, 1), (39.1, 2), (41.0, 2)],
)
def test_it_scores_the_temperature_at_every_band_edge(temp: float, score: int) -> None:
    assert _one(Parameter.TEMPERATURE, temperature_c=temp) == score


@pytest.mark.parametrize(
    ("level", "score"),
    [
        (Consciousness.ALERT, 0),
        (Consciousness.NEW_CONFUSION, 3),
        (Consciousness.VOICE, 3),
        (Consciousness.PAIN, 3),
        (Consciousness.UNRESPONSIVE, 3),
    ],
)
def test_it_scores_anything_but_alert_3(level: Consciousness, score: int) -> None:
    assert _one(Parameter.CONSCIOUSNESS, consciousness=level) == score


@pytest.mark.parametrize(
    ("spo2", "on_oxygen", "score"),
    [
        (83, True, 3),
        (84, True, 2),
        (85, False, 2),
        (86, True, 1),
        (87, True, 1),
        (88, True, 0),
        (92, True, 0),
        (93, False, 0),
        (99, False, 0),
        (93, True, 1),
        (94, True, 1),
        (95, True, 2),
        (96, True, 2),
        (97, True, 3),
    ],
)
def test_it_scores_spo2_on_scale_2_when_the_clinician_chose_it(
    spo2: int, on_oxygen: bool, score: int
) -> None:
    values = News2Input(spo2=spo2, on_oxygen=on_oxygen)
    result = score_news2(values, age_years=ADULT, scale=Spo2Scale.TWO)
    assert result is not None
    spo2_score = next(s for s in result.scores if s.parameter is Parameter.SPO2)
    assert spo2_score.score == score
    assert spo2_score.source == SCALE_2_SOURCE
    assert result.scale is Spo2Scale.TWO


def test_it_leaves_scale_2_spo2_unscored_above_92_without_air_or_oxygen() -> None:
    result = score_news2(News2Input(spo2=95), age_years=ADULT, scale=Spo2Scale.TWO)
    assert result is not None
    assert Parameter.SPO2 in result.missing and Parameter.AIR_OR_OXYGEN in result.missing


def test_it_scores_38_0_c_with_a_pulse_of_112_as_2_for_the_nurse_to_assess() -> None:
    result = score_news2(News2Input(temperature_c=38.0, pulse=112), age_years=ADULT)
    assert result is not None
    assert result.total == 2
    assert result.band is Band.NURSE_ASSESSES
    assert result.partial
    assert result.source == SOURCE
    assert "NEWS2 2 (partial" in result.summary
    assert "at least a registered nurse assesses" in result.summary


@pytest.mark.parametrize(
    ("total", "single_three", "band"),
    [
        (0, False, Band.ROUTINE),
        (1, False, Band.NURSE_ASSESSES),
        (4, False, Band.NURSE_ASSESSES),
        (3, True, Band.URGENT_WARD_REVIEW),
        (4, True, Band.URGENT_WARD_REVIEW),
        (5, False, Band.URGENT_RESPONSE),
        (6, True, Band.URGENT_RESPONSE),
        (7, False, Band.EMERGENCY_RESPONSE),
        (20, True, Band.EMERGENCY_RESPONSE),
    ],
)
def test_it_sets_the_response_band_from_the_total_and_a_single_3(
    total: int, single_three: bool, band: Band
) -> None:
    assert band_for(total, single_three) is band


def test_it_totals_every_parameter_and_flags_a_single_3() -> None:
    values = News2Input(
        respiration_rate=22,  # 2
        spo2=95,  # 1
        on_oxygen=False,  # 0
        systolic=105,  # 1
        pulse=112,  # 2
        consciousness=Consciousness.ALERT,  # 0
        temperature_c=38.5,  # 1
    )
    result = score_news2(values, age_years=ADULT)
    assert result is not None
    assert (result.total, result.single_three, result.partial) == (7, False, False)
    assert result.band is Band.EMERGENCY_RESPONSE
    assert result.summary.startswith("NEWS2 7: Emergency response")

    confused = score_news2(
        News2Input(**{**_fields(CALM), "consciousness": Consciousness.NEW_CONFUSION}),  # type: ignore[arg-type]
        age_years=ADULT,
    )
    assert confused is not None
    assert (confused.total, confused.single_three, confused.band) == (3, True, Band.URGENT_WARD_REVIEW)


def _fields(values: News2Input) -> dict[str, object]:
    return {f: getattr(values, f) for f in values.__slots__}


def test_it_says_a_score_is_partial_and_names_what_is_missing_rather_than_counting_0() -> None:
    result = score_news2(News2Input(pulse=70, systolic=120), age_years=ADULT)
    assert result is not None
    assert result.partial
    assert result.missing == (
        Parameter.RESPIRATION_RATE,
        Parameter.SPO2,
        Parameter.AIR_OR_OXYGEN,
        Parameter.CONSCIOUSNESS,
        Parameter.TEMPERATURE,
    )
    assert result.as_dict()["missing"] == [
        "respiration rate",
        "SpO2",
        "air or oxygen",
        "consciousness",
        "temperature",
    ]
    whole = score_news2(CALM, age_years=ADULT)
    assert whole is not None and not whole.partial and whole.band is Band.ROUTINE


@pytest.mark.parametrize("age", [0.0, 8.0, 15.99])
def test_it_returns_nothing_under_16_and_says_why(age: float) -> None:
    assert score_news2(CALM, age_years=age) is None
    assert "not validated in children" in not_scored_because(age)


def test_it_scores_from_16_years() -> None:
    assert score_news2(CALM, age_years=16.0) is not None
    assert not_scored_because(16.0) == ""


def test_it_returns_nothing_in_pregnancy_and_says_why() -> None:
    assert score_news2(CALM, age_years=ADULT, pregnant=True) is None
    assert "not validated there" in not_scored_because(ADULT, pregnant=True)

"""Guided titration: the plan's rate steps, the label-maximum check for a pump rate, resuming after a pause.

The label's maximum rate is a hard limit (docs/reference/products.md s3); a plan's ceiling may be lower (a
risk cap).
After a reaction settles the labels say to resume at a lower, tolerated rate (s8): the resume plan starts at
the last rate the patient tolerated and then steps up the plan's own rates again, never above the ceiling.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ivig.clinical.units import pump_ml_per_h, pump_ml_per_h_to_mg_per_kg_per_min, round_down

RATE_SOURCE = "label maximum IV rate (docs/reference/products.md s3)"
RESUME_SOURCE = (
    "IVIG labels: if symptoms subside promptly, resume at a lower, tolerated rate "
    "(docs/reference/monitoring.md s8)"
)
_EPSILON_ML_PER_H = 1e-6
_EPSILON_ML = 1e-6


class TitrationError(ValueError):
    """The order's plan has no usable rate steps."""


@dataclass(frozen=True, slots=True)
class PlannedRate:
    rate_ml_per_h: float
    duration_min: float | None  # None: the last step, which runs until the volume is given
    rate_mg_per_kg_per_min: float


@dataclass(frozen=True, slots=True)
class RateBasis:
    """What turns a pump rate into mg/kg/min: the plan's rate weight, the product's concentration."""

    rate_weight_kg: float
    concentration_g_per_100ml: float
    ceiling_mg_per_kg_per_min: float  # the plan's maximum: the label maximum, or a lower risk cap
    label_max_mg_per_kg_per_min: float
    pump_precision_ml_per_h: float = 0.1

    def mg_per_kg_per_min(self, rate_ml_per_h: float) -> float:
        return pump_ml_per_h_to_mg_per_kg_per_min(
            rate_ml_per_h, self.rate_weight_kg, self.concentration_g_per_100ml
        )

    @property
    def ceiling_ml_per_h(self) -> float:
        """The fastest pump rate allowed, rounded down to the pump precision."""
        exact = pump_ml_per_h(
            self.ceiling_mg_per_kg_per_min, self.rate_weight_kg, self.concentration_g_per_100ml
        )
        return round_down(exact, self.pump_precision_ml_per_h)


@dataclass(frozen=True, slots=True)
class RateCheck:
    allowed: bool
    rate_ml_per_h: float
    rate_mg_per_kg_per_min: float
    message: str
    source: str = RATE_SOURCE


def check_rate(basis: RateBasis, rate_ml_per_h: float) -> RateCheck:
    """Refuse a pump rate above the plan's ceiling (the label maximum, or a lower risk cap)."""
    mg = basis.mg_per_kg_per_min(rate_ml_per_h)
    if rate_ml_per_h <= 0:
        return RateCheck(
            False, rate_ml_per_h, mg, "A running rate must be above 0 mL/h: use Pause to stop the pump."
        )
    ceiling = basis.ceiling_ml_per_h
    if rate_ml_per_h > ceiling + _EPSILON_ML_PER_H:
        if basis.ceiling_mg_per_kg_per_min < basis.label_max_mg_per_kg_per_min - 1e-9:
            limit = (
                f"the risk cap of {basis.ceiling_mg_per_kg_per_min:g} mg/kg/min "
                f"(label maximum {basis.label_max_mg_per_kg_per_min:g})"
            )
        else:
            limit = f"the label maximum of {basis.label_max_mg_per_kg_per_min:g} mg/kg/min"
        return RateCheck(
            False,
            rate_ml_per_h,
            mg,
            f"{rate_ml_per_h:g} mL/h is {mg:.2f} mg/kg/min for {basis.rate_weight_kg:g} kg: above {limit}, "
            f"which is {ceiling:g} mL/h. Refused.",
        )
    return RateCheck(True, rate_ml_per_h, mg, f"{rate_ml_per_h:g} mL/h = {mg:.2f} mg/kg/min")


def steps_from_plan(day: Mapping[str, Any]) -> tuple[PlannedRate, ...]:
    """Read one day of a plan dict (`ivig plan --json`, `order.plan["days"][n]`) into rate steps."""
    raw = day.get("steps") or []
    if not raw:
        raise TitrationError("the plan has no IV rate steps for this day")
    steps = []
    for index, step in enumerate(raw):
        last = index == len(raw) - 1
        steps.append(
            PlannedRate(
                rate_ml_per_h=float(step["rate_ml_per_h"]),
                duration_min=None if last else float(step["duration_min"]),
                rate_mg_per_kg_per_min=float(step["rate_mg_per_kg_per_min"]),
            )
        )
    return tuple(steps)


def next_step_at(steps: Sequence[PlannedRate], index: int, step_started_at: datetime) -> datetime | None:
    """When the plan says to move from step `index` to the next one; None on the last step."""
    if index + 1 >= len(steps):
        return None
    duration = steps[index].duration_min
    return None if duration is None else step_started_at + timedelta(minutes=duration)


def planned_volume_ml(steps: Sequence[PlannedRate], volume_ml: float) -> list[tuple[float, float, float]]:
    """Return (start_min, end_min, rate) rows of the plan until `volume_ml` is given."""
    rows: list[tuple[float, float, float]] = []
    start, remaining = 0.0, volume_ml
    for step in steps:
        needed = remaining * 60.0 / step.rate_ml_per_h
        duration = needed if step.duration_min is None else min(step.duration_min, needed)
        rows.append((start, start + duration, step.rate_ml_per_h))
        remaining -= step.rate_ml_per_h * duration / 60.0
        start += duration
        if remaining <= _EPSILON_ML:
            break
    return rows


@dataclass(frozen=True, slots=True)
class ResumePlan:
    resume_rate_ml_per_h: float | None  # None: no lower rate was tolerated; the prescriber sets it
    steps: tuple[PlannedRate, ...]
    message: str
    source: str = RESUME_SOURCE


def last_tolerated_rate(given_rates_ml_per_h: Sequence[float], reaction_rate_ml_per_h: float) -> float | None:
    """The fastest rate given before the reaction that is lower than the rate running when it started."""
    lower = [r for r in given_rates_ml_per_h if 0 < r < reaction_rate_ml_per_h - _EPSILON_ML_PER_H]
    return max(lower) if lower else None


def plan_resume(
    steps: Sequence[PlannedRate],
    basis: RateBasis,
    *,
    reaction_rate_ml_per_h: float,
    given_rates_ml_per_h: Sequence[float],
    remaining_ml: float,
    chosen_rate_ml_per_h: float | None = None,
) -> ResumePlan:
    """Plan the rest of the infusion after a pause: a lower tolerated rate, then the plan's steps again.

    `chosen_rate_ml_per_h` is a restart rate the prescriber set (needed when the reaction began at the first
    rate); it must still be lower than the rate the reaction started at.
    """
    if chosen_rate_ml_per_h is not None:
        if chosen_rate_ml_per_h >= reaction_rate_ml_per_h - _EPSILON_ML_PER_H:
            return ResumePlan(
                None,
                (),
                f"Restart below {reaction_rate_ml_per_h:g} mL/h, the rate the reaction started at.",
            )
        start = chosen_rate_ml_per_h
    else:
        tolerated = last_tolerated_rate(given_rates_ml_per_h, reaction_rate_ml_per_h)
        if tolerated is None:
            return ResumePlan(
                None,
                (),
                f"The reaction started at the first rate ({reaction_rate_ml_per_h:g} mL/h): no lower rate "
                "was tolerated. Ask the prescriber for the restart rate.",
            )
        start = tolerated
    start = min(start, basis.ceiling_ml_per_h)
    interval = _interval_for(steps, start)
    higher = sorted({s.rate_ml_per_h for s in steps if s.rate_ml_per_h > start + _EPSILON_ML_PER_H})
    rates = [start] + [min(rate, basis.ceiling_ml_per_h) for rate in higher]
    rates = sorted(set(rates))
    ladder: list[PlannedRate] = []
    remaining = max(remaining_ml, 0.0)
    for position, rate in enumerate(rates):
        last = position == len(rates) - 1
        duration = None if last else (interval if position == 0 else _interval_for(steps, rate))
        needed = remaining * 60.0 / rate
        if duration is not None and needed <= duration + 1e-9:
            duration = None  # the volume runs out during this step
            last = True
        ladder.append(PlannedRate(rate, duration, basis.mg_per_kg_per_min(rate)))
        if last:
            break
        remaining -= rate * (duration or 0.0) / 60.0
    described = " → ".join(f"{s.rate_ml_per_h:g}" for s in ladder)
    return ResumePlan(
        start,
        tuple(ladder),
        f"Restart at {start:g} mL/h (last tolerated rate), then step up: {described} mL/h.",
    )


def _interval_for(steps: Sequence[PlannedRate], rate_ml_per_h: float) -> float:
    """How long the plan keeps this rate; a rate not in the plan gets the plan's usual step length."""
    for step in steps:
        if abs(step.rate_ml_per_h - rate_ml_per_h) <= _EPSILON_ML_PER_H and step.duration_min is not None:
            return step.duration_min
    timed = [s.duration_min for s in steps if s.duration_min is not None]
    if not timed:
        return 0.0
    return max(timed[1:] or timed)

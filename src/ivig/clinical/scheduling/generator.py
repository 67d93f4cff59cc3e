"""Seeded random infusion-centre days whose durations come from real rate plans.

Each request is a random adult (or child, for paediatric chairs) given an IVIG regimen with a catalog
product; its chair time is the rate plan's infusion plus 30 min before (cannulation, pre-medication,
vital signs: the nurse's set-up falls in it), observation after (60 min after a first infusion, else 30)
and 10 min turnover, rounded up to 5 min and kept to 2-8 h. Requests come in booking order at random.

The centre is sized for its load as a busy one would be: chairs for about 80% of the opening hours (at 90%
even the best plans need overtime and the first-come desk turns away about 1 request in 20), with enough
beds, isolation rooms and paediatric chairs for those needs; nurses watching 4 patients each on 8.5- and
10-hour shifts staggered from 07:30 to 20:00, enough for about twice the watching the requests need.
Nurses hand over with 15 min together at the chair (a generated day's choice, not a clinical fact).

`handover_day=True` gives the day of issue 21: early 8-8.5-hour and late 7.5-hour shifts (none runs from
late morning to evening), 240 min overtime, and about 3 in 100 requests long infusions (420-480 min) that
cannot start before 11:10-11:55, so only a chain of nurses handing over can watch them.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from ivig.clinical.patient import PatientFactors, Sex
from ivig.clinical.plan import PlanError, PlanRequest, plan_infusion
from ivig.clinical.scheduling.instance import Appointment, Chair, Instance, Nurse

DAY_START_MIN, DAY_END_MIN, MAX_OVERTIME_MIN = 8 * 60, 18 * 60, 120
HANDOVER_MIN = 15
PRODUCTS = (
    "gammagard-liquid",
    "gamunex-c",
    "privigen",
    "octagam-10",
    "flebogamma-10-dif",
    "panzyga",
    "bivigam",
)
REGIMENS = (("pi", 0.4, 0.6), ("cidp-maintenance", 0.4, 1.0), ("itp", 1.0, 1.0), ("mmn", 1.0, 2.0))
BEFORE_MIN, TURNOVER_MIN = 30, 10
MIN_DURATION_MIN, MAX_DURATION_MIN = 120, 480
CHAIR_USE = 0.8
NURSE_USE = 0.5
MAX_WATCHING = 4
# Shifts (start, length) and their share of the nurses: 10-hour shifts hold the longest infusions; most
# nurses come in the morning, fewer stay to closing plus overtime.
SHIFTS = (
    (7 * 60 + 30, 600, 3),
    (8 * 60, 510, 2),
    (9 * 60, 600, 2),
    (10 * 60, 510, 1),
    (10 * 60, 600, 2),
)
NEEDS = (("bed", 0.10), ("isolation", 0.03), ("paediatric", 0.05))
# The handover day: an early and a late team; the late one stays to closing plus the overtime (22:00).
HANDOVER_SHIFTS = (
    (7 * 60 + 30, 510, 3),
    (8 * 60, 480, 2),
    (9 * 60, 510, 2),
    (14 * 60, 450, 2),
    (14 * 60 + 30, 450, 1),
)
HANDOVER_OVERTIME_MIN = 240
LATE_LONG_SHARE = 0.03
LATE_LONG_DURATION_MIN = (420, 480)
LATE_LONG_EARLIEST_MIN = (11 * 60 + 10, 11 * 60 + 55)


def generate_instance(
    appointments: int, seed: int, date: dt.date | None = None, *, handover_day: bool = False
) -> Instance:
    """Return a day of `appointments` requests; the same seed gives the same day."""
    rng = random.Random(seed)
    requests = [_request(rng, i + 1) for i in range(appointments)]
    if handover_day:  # long late infusions at random places in the booking order
        late = rng.sample(range(appointments), max(1, round(appointments * LATE_LONG_SHARE)))
        for index in sorted(late):
            requests[index] = _late_long(rng, index + 1)
    open_min = DAY_END_MIN - DAY_START_MIN
    return Instance(
        date=date or dt.date(2026, 12, 1),
        day_start_min=DAY_START_MIN,
        day_end_min=DAY_END_MIN,
        max_overtime_min=HANDOVER_OVERTIME_MIN if handover_day else MAX_OVERTIME_MIN,
        slot_min=5,
        nurse_setup_min=15,
        chairs=_chairs(tuple(requests), open_min),
        nurses=_nurses(tuple(requests), HANDOVER_SHIFTS if handover_day else SHIFTS),
        appointments=tuple(requests),
        handover_min=HANDOVER_MIN,
    )


def _late_long(rng: random.Random, number: int) -> Appointment:
    """A long infusion that cannot start before late morning (the patient's transport, say)."""
    duration = rng.randrange(LATE_LONG_DURATION_MIN[0], LATE_LONG_DURATION_MIN[1] + 1, 5)
    earliest = rng.randrange(LATE_LONG_EARLIEST_MIN[0], LATE_LONG_EARLIEST_MIN[1] + 1, 5)
    return Appointment(f"A{number}", duration, earliest, earliest, frozenset())


def _request(rng: random.Random, number: int) -> Appointment:
    roll, needs = rng.random(), frozenset[str]()
    for feature, share in NEEDS:
        if roll < share:
            needs = frozenset({feature})
            break
        roll -= share
    first = rng.random() < 0.15
    duration = _duration_min(rng, child="paediatric" in needs, first_infusion=first)
    earliest = rng.choices([8 * 60, 8 * 60 + 30, 9 * 60, 10 * 60, 12 * 60], weights=[55, 15, 15, 10, 5])[0]
    # The booking desk offers a day only when the infusion can end by closing time.
    earliest = max(DAY_START_MIN, min(earliest, (DAY_END_MIN - duration) // 30 * 30))
    preferred = rng.choices(range(8 * 60, 14 * 60, 30), weights=[20, 15, 14, 12, 10, 8, 6, 5, 4, 3, 2, 1])[0]
    preferred = max(earliest, min(preferred, DAY_END_MIN - duration))
    return Appointment(f"A{number}", duration, earliest, preferred - preferred % 5, needs)


def _duration_min(rng: random.Random, *, child: bool, first_infusion: bool) -> int:
    """Draw patients until one has a rate plan; return its chair time."""
    while True:
        weight_kg = rng.uniform(15, 45) if child else rng.uniform(45, 120)
        patient = PatientFactors(
            age_years=rng.uniform(4, 17) if child else rng.uniform(18, 85),
            sex=rng.choice(list(Sex)),
            weight_kg=weight_kg,
            height_cm=rng.uniform(105, 165) if child else rng.uniform(150, 192),
            first_infusion=first_infusion,
        )
        regimen, low, high = rng.choice(REGIMENS)
        dose = round(rng.uniform(low, high), 1)
        request = PlanRequest(
            rng.choice(PRODUCTS), regimen, patient, dose_g_per_kg=dose, override_reason="generated"
        )
        try:
            infusion_min = plan_infusion(request).days[0].duration_min
        except PlanError:
            continue
        if infusion_min is None:
            continue
        total = BEFORE_MIN + infusion_min + (60 if first_infusion else 30) + TURNOVER_MIN
        return min(MAX_DURATION_MIN, max(MIN_DURATION_MIN, 5 * math.ceil(total / 5)))


def _chairs(requests: tuple[Appointment, ...], open_min: int) -> tuple[Chair, ...]:
    def needed(minutes: int) -> int:
        return max(1, math.ceil(minutes / (open_min * CHAIR_USE)))

    total = needed(sum(a.duration_min for a in requests))
    chairs: list[Chair] = []
    for feature, _share in NEEDS:
        count = needed(sum(a.duration_min for a in requests if feature in a.needs))
        chairs += [Chair(f"{feature[0].upper()}{i + 1}", frozenset({feature})) for i in range(count)]
    plain = max(1, total - len(chairs))
    return (*(Chair(f"C{i + 1}", frozenset()) for i in range(plain)), *chairs)


def _nurses(requests: tuple[Appointment, ...], shifts: tuple[tuple[int, int, int], ...]) -> tuple[Nurse, ...]:
    weights = sum(share for _, _, share in shifts)
    shift_min = sum(length * share for _, length, share in shifts) / weights
    capacity_min = MAX_WATCHING * shift_min * NURSE_USE
    count = max(len(shifts), math.ceil(sum(a.duration_min for a in requests) / capacity_min))
    nurses: list[Nurse] = []
    for start, length, share in shifts:
        for _ in range(max(1, round(count * share / weights))):
            nurses.append(Nurse(f"N{len(nurses) + 1}", start, start + length, MAX_WATCHING))
    return tuple(nurses)

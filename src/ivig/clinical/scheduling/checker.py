"""An independent feasibility check of a schedule against its instance.

Written apart from the model and the baseline (it shares only the parsed instance), so that a mistake in
either is caught here rather than repeated. It checks minute by minute where a rule is about overlap, which
is slow but plain. Rules (the nurse rule is the one in instance.py):

- every request is either assigned once or listed as unscheduled, never both; ids are known
- a fixed appointment keeps its start, and its chair and nurse when given
- start on or after the earliest start and opening; non-fixed starts on the slot grid
- end = start + duration, and no later than closing plus the allowed overtime
- the chair has every feature the request needs; a chair holds one patient at a time
- the whole appointment lies within the nurse's shift; a nurse sets up one patient at a time; a nurse
  looks after at most max_watching patients at any minute
- the reported day length and overtime match the assignments
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ivig.clinical.scheduling.instance import Instance
from ivig.clinical.scheduling.result import Schedule


@dataclass(frozen=True, slots=True)
class Violation:
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"


def check_schedule(instance: Instance, schedule: Schedule) -> list[Violation]:
    """Return every broken rule; an empty list means the plan can be carried out."""
    found: list[Violation] = []

    def fail(rule: str, message: str) -> None:
        found.append(Violation(rule, message))

    requests = {a.id: a for a in instance.appointments}
    chairs = {c.id: c for c in instance.chairs}
    nurses = {n.id: n for n in instance.nurses}
    counted = Counter([a.id for a in schedule.assignments] + [u.id for u in schedule.unscheduled])
    for appointment_id, times in counted.items():
        if appointment_id not in requests:
            fail("unknown-appointment", f"{appointment_id} is not a request of the day")
        elif times > 1:
            fail("duplicate", f"{appointment_id} is listed {times} times")
    for appointment_id in requests.keys() - counted.keys():
        fail("missing", f"{appointment_id} is neither scheduled nor listed as unscheduled")
    chair_minutes: dict[str, dict[int, str]] = {c: {} for c in chairs}
    setup_minutes: dict[str, dict[int, str]] = {n: {} for n in nurses}
    watched: dict[str, Counter[int]] = {n: Counter() for n in nurses}
    for a in schedule.assignments:
        request = requests.get(a.id)
        chair, nurse = chairs.get(a.chair), nurses.get(a.nurse)
        if request is None:
            continue
        if chair is None or nurse is None:
            fail("unknown-resource", f"{a.id}: chair {a.chair} or nurse {a.nurse} does not exist")
            continue
        fixed = request.fixed
        if fixed is not None:
            if a.start_min != fixed.start_min:
                fail("fixed-moved", f"{a.id} was fixed at minute {fixed.start_min}, now {a.start_min}")
            if fixed.chair is not None and a.chair != fixed.chair:
                fail("fixed-moved", f"{a.id} was fixed to chair {fixed.chair}, now {a.chair}")
            if fixed.nurse is not None and a.nurse != fixed.nurse:
                fail("fixed-moved", f"{a.id} was fixed to nurse {fixed.nurse}, now {a.nurse}")
        else:
            if a.start_min < request.earliest_start_min:
                fail("earliest-start", f"{a.id} starts before its earliest start")
            if (a.start_min - instance.day_start_min) % instance.slot_min:
                fail("slot-grid", f"{a.id} does not start on a {instance.slot_min}-minute slot")
        if a.start_min < instance.day_start_min:
            fail("opening-hours", f"{a.id} starts before opening")
        if a.end_min != a.start_min + request.duration_min:
            fail("duration", f"{a.id} lasts {a.end_min - a.start_min} min, not {request.duration_min}")
        if a.end_min > instance.day_end_min + instance.max_overtime_min:
            fail("opening-hours", f"{a.id} ends after closing plus the allowed overtime")
        missing = request.needs - chair.features
        if missing:
            fail("chair-features", f"{a.id} needs {', '.join(sorted(missing))}; chair {chair.id} lacks it")
        if a.start_min < nurse.start_min or a.end_min > nurse.end_min:
            fail("nurse-shift", f"{a.id} runs outside nurse {nurse.id}'s shift")
        for minute in range(a.start_min, a.end_min):
            other = chair_minutes[chair.id].setdefault(minute, a.id)
            if other != a.id:
                fail("chair-overlap", f"{a.id} and {other} share chair {chair.id} at minute {minute}")
                break
        for minute in range(a.start_min, a.start_min + instance.nurse_setup_min):
            other = setup_minutes[nurse.id].setdefault(minute, a.id)
            if other != a.id:
                fail("nurse-setup", f"nurse {nurse.id} sets up {a.id} and {other} at once (minute {minute})")
                break
        watched[nurse.id].update(range(a.start_min, a.end_min))
    for nurse_id, minutes in watched.items():
        busiest = max(minutes.values(), default=0)
        if busiest > nurses[nurse_id].max_watching:
            fail("nurse-watching", f"nurse {nurse_id} looks after {busiest} patients at once")
    last_end = max((a.end_min for a in schedule.assignments), default=instance.day_start_min)
    if schedule.makespan_min != max(0, last_end - instance.day_start_min):
        fail("figures", f"reported day length {schedule.makespan_min} min does not match the plan")
    if schedule.overtime_min != max(0, last_end - instance.day_end_min):
        fail("figures", f"reported overtime {schedule.overtime_min} min does not match the plan")
    return found

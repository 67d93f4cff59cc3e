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
- with a handover (segments): handovers are allowed by the instance; the segments run from the start to the
  end, each next one starting exactly the handover minutes before the one before ends and reaching past
  it, with another nurse; the first is the named nurse's and outlasts the set-up plus the handover; each
  lies within its nurse's shift; both nurses count the patient during the overlap; a fixed chain stays
- the reported day length and overtime match the assignments
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from ivig.clinical.scheduling.instance import Instance, format_time
from ivig.clinical.scheduling.result import Assignment, Schedule


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
        chair = chairs.get(a.chair)
        if request is None:
            continue
        unknown = [s.nurse for s in a.chain if s.nurse not in nurses]
        if chair is None or a.nurse not in nurses or unknown:
            fail("unknown-resource", f"{a.id}: chair {a.chair} or nurse {a.nurse} does not exist")
            continue
        nurse = nurses[a.nurse]
        fixed = request.fixed
        if fixed is not None:
            if a.start_min != fixed.start_min:
                fail("fixed-moved", f"{a.id} was fixed at minute {fixed.start_min}, now {a.start_min}")
            if fixed.chair is not None and a.chair != fixed.chair:
                fail("fixed-moved", f"{a.id} was fixed to chair {fixed.chair}, now {a.chair}")
            if fixed.nurse is not None and a.nurse != fixed.nurse:
                fail("fixed-moved", f"{a.id} was fixed to nurse {fixed.nurse}, now {a.nurse}")
            if fixed.chain and a.segments != fixed.chain:
                fail("fixed-moved", f"{a.id} was fixed with its handover, now its segments differ")
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
        _check_chain(instance, a, fail)
        for segment in a.chain:
            shift = nurses[segment.nurse]
            if segment.start_min < shift.start_min or segment.end_min > shift.end_min:
                who = "nurse" if not a.segments else "segment of nurse"
                fail("nurse-shift", f"{a.id} runs outside {who} {shift.id}'s shift")
            watched[shift.id].update(range(segment.start_min, segment.end_min))
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


def _check_chain(instance: Instance, a: Assignment, fail: Callable[[str, str], None]) -> None:
    """Check a handover chain's own shape (shifts and load are checked with every segment)."""
    if not a.segments:
        return
    chain, handover = a.segments, instance.handover_min
    if handover is None:
        fail("handover-not-allowed", f"{a.id} is handed over, but this day allows no handovers")
        return
    if chain[0].nurse != a.nurse:
        fail("handover-chain", f"{a.id}: the first segment is {chain[0].nurse}'s, not the nurse {a.nurse}'s")
    if chain[0].start_min != a.start_min or chain[-1].end_min != a.end_min:
        fail(
            "handover-chain",
            f"{a.id}: its segments run {format_time(chain[0].start_min)}-{format_time(chain[-1].end_min)}, "
            f"not the whole appointment {format_time(a.start_min)}-{format_time(a.end_min)}",
        )
    if len(chain) < 2:
        fail("handover-chain", f"{a.id}: one segment that is not the whole appointment")
    for segment in chain:
        if segment.end_min <= segment.start_min:
            fail("handover-chain", f"{a.id}: nurse {segment.nurse}'s segment ends before it starts")
    for before, after in itertools.pairwise(chain):
        if after.start_min != before.end_min - handover:
            overlap = before.end_min - after.start_min
            fail(
                "handover-overlap",
                f"{a.id}: nurses {before.nurse} and {after.nurse} overlap {overlap} min at "
                f"{format_time(after.start_min)}, not the {handover} min handover",
            )
        if after.end_min <= before.end_min:
            fail(
                "handover-chain",
                f"{a.id}: nurse {after.nurse}'s segment does not reach past {before.nurse}'s",
            )
        if after.nurse == before.nurse:
            fail("handover-chain", f"{a.id}: nurse {after.nurse} hands over to herself")
    if chain[0].end_min - handover < a.start_min + instance.nurse_setup_min:
        fail("handover-during-setup", f"{a.id}: nurse {chain[0].nurse} hands over before she has set it up")

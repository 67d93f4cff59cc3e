"""One infusion-centre day to schedule: chairs, nurses, appointments; read from JSON with clear errors.

Times are "HH:MM" on the instance's date and are kept as minutes after midnight (`*_min`). An appointment's
`duration_min` is the whole chair time: the rate plan's infusion plus set-up, observation and turnover.

Nurse rule (the model, the FCFS baseline and the checker all use it): the nurse named in an assignment
sets the appointment up during its first `nurse_setup_min` (one set-up at a time per nurse) and then
watches it to its end; each appointment of hers counts against her `max_watching` from its start to its
end, set-up included; the whole appointment lies within her shift.

Handover (when the instance's `handover_min` is set; absent, one nurse watches each whole appointment):
the watching may pass along a chain of nurses. It is split into segments, each watched by one nurse
inside her shift; the first nurse sets up (her segment outlasts the set-up plus the handover); each next
segment starts `handover_min` before the one before it ends (both nurses are at the chair for the handover
and both count the patient against their `max_watching`); consecutive nurses differ; the last segment ends
with the appointment. The planners hand over where the outgoing nurse's shift ends; the checker accepts any
minute that keeps these rules.

A `fixed` appointment (booked or started) keeps its start, and its chair and nurse when given.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The chair features the centre's own pages know; an instance may name others (any text), and a request
# that needs a feature no chair has is listed as unscheduled with that reason. "pediatric" reads "paediatric".
FEATURES = ("bed", "isolation", "paediatric")
FEATURE_ALIASES = {"pediatric": "paediatric"}
MIN_PER_DAY = 24 * 60
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


class InstanceError(ValueError):
    """An instance that cannot be read: the message says where and why."""


@dataclass(frozen=True, slots=True)
class Chair:
    id: str
    features: frozenset[str]


@dataclass(frozen=True, slots=True)
class Nurse:
    id: str
    start_min: int
    end_min: int
    max_watching: int


@dataclass(frozen=True, slots=True)
class Segment:
    """Part of an appointment watched by one nurse: from start_min (inclusive) to end_min."""

    nurse: str
    start_min: int
    end_min: int


@dataclass(frozen=True, slots=True)
class Fixed:
    """A booked or started appointment: its start stays; a given chair or nurse stays too.

    `chain` keeps a handover: the segments as booked (the first one's nurse is `nurse`)."""

    start_min: int
    chair: str | None = None
    nurse: str | None = None
    chain: tuple[Segment, ...] = ()


@dataclass(frozen=True, slots=True)
class Appointment:
    id: str
    duration_min: int
    earliest_start_min: int
    preferred_start_min: int
    needs: frozenset[str]
    fixed: Fixed | None = None


@dataclass(frozen=True, slots=True)
class Instance:
    date: dt.date
    day_start_min: int
    day_end_min: int
    max_overtime_min: int
    slot_min: int
    nurse_setup_min: int
    chairs: tuple[Chair, ...]
    nurses: tuple[Nurse, ...]
    appointments: tuple[Appointment, ...]
    handover_min: int | None = None  # minutes both nurses watch at a handover; None: no handovers

    @property
    def close_min(self) -> int:
        """Return the latest end: closing time plus the allowed overtime."""
        return self.day_end_min + self.max_overtime_min

    def appointment(self, appointment_id: str) -> Appointment:
        for appointment in self.appointments:
            if appointment.id == appointment_id:
                return appointment
        raise KeyError(appointment_id)


def parse_time(text: object, where: str) -> int:
    """Return minutes after midnight for "HH:MM"."""
    if not isinstance(text, str) or not (match := _TIME.match(text.strip())):
        raise InstanceError(f'{where}: expected a time "HH:MM" (00:00-23:59), got {text!r}')
    return int(match[1]) * 60 + int(match[2])


def format_time(minutes: int) -> str:
    """Return "HH:MM" for minutes after midnight."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def load_json(path: Path) -> object:
    """Read a JSON file (an instance, a result, a home day); any problem raises InstanceError."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InstanceError(f"cannot read {path}: {error.strerror or error}") from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InstanceError(f"{path} is not valid JSON: {error}") from error


def load_instance(path: Path) -> Instance:
    """Read an instance file; any problem raises InstanceError."""
    return parse_instance(load_json(path))


def parse_instance(data: object) -> Instance:
    """Check and convert the JSON instance format of issue 8."""
    root = _mapping(data, "instance")
    try:
        date = dt.date.fromisoformat(_str(root, "date", "instance"))
    except ValueError as error:
        raise InstanceError(f"instance.date: expected YYYY-MM-DD, got {root['date']!r}") from error
    day_start = parse_time(_get(root, "day_start", "instance"), "instance.day_start")
    day_end = parse_time(_get(root, "day_end", "instance"), "instance.day_end")
    if day_end <= day_start:
        raise InstanceError("instance.day_end must be after day_start")
    max_overtime = _int(root, "max_overtime_min", "instance", default=0)
    slot = _int(root, "slot_min", "instance", default=5, low=1)
    setup = _int(root, "nurse_setup_min", "instance", default=15)
    handover = None if root.get("handover_minutes") is None else _int(root, "handover_minutes", "instance")
    max_overtime = min(max_overtime, MIN_PER_DAY - day_end)  # nothing runs past midnight
    chairs = tuple(_chair(item, f"chairs[{i}]") for i, item in enumerate(_list(root, "chairs")))
    nurses = tuple(_nurse(item, f"nurses[{i}]") for i, item in enumerate(_list(root, "nurses")))
    appointments = tuple(
        _appointment(item, f"appointments[{i}]") for i, item in enumerate(_list(root, "appointments"))
    )
    for name, items in (("chair", chairs), ("nurse", nurses), ("appointment", appointments)):
        _unique([item.id for item in items], name)
    chair_ids, nurse_ids = {c.id for c in chairs}, {n.id for n in nurses}
    for appointment in appointments:
        fixed = appointment.fixed
        if fixed is not None and fixed.chair is not None and fixed.chair not in chair_ids:
            raise InstanceError(f"appointment {appointment.id}: fixed chair {fixed.chair!r} is not a chair")
        if fixed is not None and fixed.nurse is not None and fixed.nurse not in nurse_ids:
            raise InstanceError(f"appointment {appointment.id}: fixed nurse {fixed.nurse!r} is not a nurse")
        for segment in () if fixed is None else fixed.chain:
            if segment.nurse not in nurse_ids:
                raise InstanceError(
                    f"appointment {appointment.id}: fixed segment nurse {segment.nurse!r} is not a nurse"
                )
        if fixed is not None and fixed.chain and handover is None:
            raise InstanceError(
                f"appointment {appointment.id}: its fixed segments hand over, but the instance has no "
                "handover_minutes"
            )
    return Instance(
        date, day_start, day_end, max_overtime, slot, setup, chairs, nurses, appointments, handover
    )


def _chair(data: object, where: str) -> Chair:
    item = _mapping(data, where)
    return Chair(_str(item, "id", where), _features(item.get("features", []), f"{where}.features"))


def _nurse(data: object, where: str) -> Nurse:
    item = _mapping(data, where)
    start = parse_time(_get(item, "start", where), f"{where}.start")
    end = parse_time(_get(item, "end", where), f"{where}.end")
    if end <= start:
        raise InstanceError(f"{where}: the shift must end after it starts")
    return Nurse(_str(item, "id", where), start, end, _int(item, "max_watching", where, default=4, low=1))


def _appointment(data: object, where: str) -> Appointment:
    item = _mapping(data, where)
    earliest = parse_time(_get(item, "earliest_start", where), f"{where}.earliest_start")
    preferred = item.get("preferred_start")
    fixed = item.get("fixed")
    return Appointment(
        id=_str(item, "id", where),
        duration_min=_int(item, "duration_min", where, low=1),
        earliest_start_min=earliest,
        preferred_start_min=earliest
        if preferred is None
        else parse_time(preferred, f"{where}.preferred_start"),
        needs=_features(item.get("needs", []), f"{where}.needs"),
        fixed=None if fixed is None else _fixed(fixed, f"{where}.fixed"),
    )


def _fixed(data: object, where: str) -> Fixed:
    item = _mapping(data, where)
    start = parse_time(_get(item, "start", where), f"{where}.start")
    chair, nurse = item.get("chair"), item.get("nurse")
    for key, value in (("chair", chair), ("nurse", nurse)):
        if value is not None and not isinstance(value, str):
            raise InstanceError(f"{where}.{key}: expected an id (text), got {value!r}")
    chain = parse_segments(item.get("segments"), f"{where}.segments")
    if len(chain) == 1:
        chain = ()  # one segment is no handover
    if chain and (nurse is None or chain[0].nurse != nurse or chain[0].start_min != start):
        raise InstanceError(
            f"{where}.segments: the first segment must be the fixed nurse's, from the fixed start"
        )
    return Fixed(start, chair, nurse, chain)


def parse_segments(data: object, where: str) -> tuple[Segment, ...]:
    """Read a list of segments {"nurse", "from", "to"}; absent or null is no list (one nurse)."""
    if data is None:
        return ()
    if not isinstance(data, list) or not data:
        raise InstanceError(f"{where}: expected a non-empty list of segments, got {data!r}")
    segments = []
    for i, entry in enumerate(data):
        item = _mapping(entry, f"{where}[{i}]")
        start = parse_time(_get(item, "from", f"{where}[{i}]"), f"{where}[{i}].from")
        end = parse_time(_get(item, "to", f"{where}[{i}]"), f"{where}[{i}].to")
        if end <= start:
            raise InstanceError(f"{where}[{i}]: a segment must end after it starts")
        segments.append(Segment(_str(item, "nurse", f"{where}[{i}]"), start, end))
    return tuple(segments)


def segments_to_list(segments: Sequence[Segment]) -> list[dict[str, object]]:
    """Return segments in the JSON format ("from"/"to" as "HH:MM")."""
    return [
        {"nurse": s.nurse, "from": format_time(s.start_min), "to": format_time(s.end_min)} for s in segments
    ]


def _features(data: object, where: str) -> frozenset[str]:
    if not isinstance(data, list) or not all(isinstance(f, str) and f.strip() for f in data):
        raise InstanceError(f"{where}: expected a list of feature names (text), got {data!r}")
    return frozenset(FEATURE_ALIASES.get(f.strip().lower(), f.strip().lower()) for f in data)


def _mapping(data: object, where: str) -> Mapping[str, Any]:
    if not isinstance(data, dict):
        raise InstanceError(f"{where}: expected an object, got {type(data).__name__}")
    return data


def _get(item: Mapping[str, Any], key: str, where: str) -> object:
    if key not in item:
        raise InstanceError(f"{where}: {key} is missing")
    return item[key]


def _str(item: Mapping[str, Any], key: str, where: str) -> str:
    value = _get(item, key, where)
    if key == "id" and isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # ids may be numbers in another tool's JSON
    if not isinstance(value, str) or not value.strip():
        raise InstanceError(f"{where}.{key}: expected text, got {value!r}")
    return value.strip()


def _int(item: Mapping[str, Any], key: str, where: str, *, default: int | None = None, low: int = 0) -> int:
    value = _get(item, key, where) if default is None else item.get(key)
    if value is None and default is not None:
        value = default
    if isinstance(value, float) and value.is_integer():  # 240.0 from another tool's JSON
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise InstanceError(f"{where}.{key}: expected a whole number >= {low}, got {value!r}")
    return value


def _list(item: Mapping[str, Any], key: str) -> Sequence[object]:
    value = _get(item, key, "instance")
    if not isinstance(value, list):
        raise InstanceError(f"instance.{key}: expected a list, got {type(value).__name__}")
    return value


def _unique(ids: Sequence[str], name: str) -> None:
    seen: set[str] = set()
    for item_id in ids:
        if item_id in seen:
            raise InstanceError(f"two {name}s have the id {item_id!r}")
        seen.add(item_id)


def instance_to_dict(instance: Instance) -> dict[str, object]:
    """Return the JSON instance format (the inverse of parse_instance)."""
    appointments: list[dict[str, object]] = []
    for a in instance.appointments:
        item: dict[str, object] = {
            "id": a.id,
            "duration_min": a.duration_min,
            "earliest_start": format_time(a.earliest_start_min),
            "preferred_start": format_time(a.preferred_start_min),
            "needs": sorted(a.needs),
        }
        if a.fixed is not None:
            fixed: dict[str, object] = {"start": format_time(a.fixed.start_min)}
            fixed |= {k: v for k, v in (("chair", a.fixed.chair), ("nurse", a.fixed.nurse)) if v is not None}
            if a.fixed.chain:
                fixed["segments"] = segments_to_list(a.fixed.chain)
            item["fixed"] = fixed
        appointments.append(item)
    handover = {} if instance.handover_min is None else {"handover_minutes": instance.handover_min}
    return {
        "date": instance.date.isoformat(),
        "day_start": format_time(instance.day_start_min),
        "day_end": format_time(instance.day_end_min),
        "max_overtime_min": instance.max_overtime_min,
        "slot_min": instance.slot_min,
        "nurse_setup_min": instance.nurse_setup_min,
        **handover,
        "chairs": [{"id": c.id, "features": sorted(c.features)} for c in instance.chairs],
        "nurses": [
            {
                "id": n.id,
                "start": format_time(n.start_min),
                "end": format_time(n.end_min),
                "max_watching": n.max_watching,
            }
            for n in instance.nurses
        ],
        "appointments": appointments,
    }

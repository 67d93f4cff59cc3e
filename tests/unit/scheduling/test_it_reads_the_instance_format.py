"""The instance format of issue 8: read as given, written back the same, and clear errors."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from ivig.clinical.scheduling import InstanceError, instance_to_dict, parse_instance

ISSUE_EXAMPLE: dict[str, Any] = {
    "date": "2026-12-01",
    "day_start": "08:00",
    "day_end": "18:00",
    "max_overtime_min": 120,
    "slot_min": 5,
    "nurse_setup_min": 15,
    "chairs": [{"id": "C1", "features": ["bed"]}],
    "nurses": [{"id": "N1", "start": "08:00", "end": "16:30", "max_watching": 4}],
    "appointments": [
        {
            "id": "A1",
            "duration_min": 240,
            "earliest_start": "08:00",
            "preferred_start": "09:00",
            "needs": ["bed"],
        }
    ],
}


def test_it_reads_the_issue_example_in_minutes() -> None:
    instance = parse_instance(ISSUE_EXAMPLE)
    assert (instance.day_start_min, instance.day_end_min, instance.close_min) == (480, 1080, 1200)
    assert instance.nurses[0].end_min == 16 * 60 + 30
    a = instance.appointments[0]
    assert (a.duration_min, a.earliest_start_min, a.preferred_start_min, a.needs) == (240, 480, 540, {"bed"})


def test_it_writes_back_what_it_read() -> None:
    assert instance_to_dict(parse_instance(ISSUE_EXAMPLE)) == ISSUE_EXAMPLE


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("day_start",), "8am", 'instance.day_start: expected a time "HH:MM"'),
        (("nurses", 0, "end"), "24:00", 'nurses[0].end: expected a time "HH:MM"'),
        (("appointments", 0, "needs"), ["bed", 3], "needs: expected a list of feature names"),
        (("chairs", 0, "features"), "bed", "chairs[0].features: expected a list"),
        (("appointments", 0, "duration_min"), 0, "duration_min: expected a whole number >= 1"),
        (("day_end",), "07:00", "day_end must be after day_start"),
        (("date",), "2026-13-01", "expected YYYY-MM-DD"),
        (("appointments", 0, "fixed"), {"start": "09:00", "chair": "C9"}, "fixed chair 'C9' is not a chair"),
    ],
)
def test_it_names_the_bad_field(path: tuple[Any, ...], value: object, message: str) -> None:
    data = copy.deepcopy(ISSUE_EXAMPLE)
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(InstanceError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_instance(data)


def test_it_refuses_a_missing_key_and_duplicate_ids() -> None:
    data = copy.deepcopy(ISSUE_EXAMPLE)
    del data["appointments"][0]["earliest_start"]
    with pytest.raises(InstanceError, match="earliest_start is missing"):
        parse_instance(data)
    data = copy.deepcopy(ISSUE_EXAMPLE)
    data["chairs"].append({"id": "C1", "features": []})
    with pytest.raises(InstanceError, match="two chairs have the id 'C1'"):
        parse_instance(data)


def test_it_reads_pediatric_as_paediatric_and_preferred_defaults_to_earliest() -> None:
    data = copy.deepcopy(ISSUE_EXAMPLE)
    data["appointments"][0]["needs"] = ["Pediatric"]
    del data["appointments"][0]["preferred_start"]
    a = parse_instance(data).appointments[0]
    assert a.needs == {"paediatric"} and a.preferred_start_min == a.earliest_start_min


def test_it_reads_other_tools_spellings_numbers_as_ids_and_new_features() -> None:
    data = copy.deepcopy(ISSUE_EXAMPLE)
    data["appointments"][0] |= {"id": 7, "duration_min": 240.0, "needs": ["Recliner"]}
    data["nurse_setup_min"] = None  # null: the default
    instance = parse_instance(data)
    a = instance.appointments[0]
    assert (a.id, a.duration_min, a.needs, instance.nurse_setup_min) == ("7", 240, {"recliner"}, 15)

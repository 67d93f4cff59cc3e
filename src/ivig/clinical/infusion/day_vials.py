"""One day's vials at the bedside: what the verified plan lists for the day; is a scanned vial one of them?

The pharmacy dispenses the whole course at once, so a vial of the right lot may belong to another day. The
plan's day lists its vial sizes and counts (a part vial counts as one vial: the prescribed dose is infused and
the rest discarded, docs/reference/dosing.md s13 "rounding to whole vials"). A vial beyond that set is
refused: taken
today, it leaves a later day short.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

SOURCE = "the verified plan's vials for this day (sizes and counts)"


@dataclass(frozen=True, slots=True)
class DayVialCheck:
    allowed: bool
    message: str
    source: str = SOURCE


def size_key(size_g: Decimal | float | str) -> Decimal:
    """One key per vial size, so 20, 20.0 and "20" are the same size."""
    return Decimal(str(size_g)).normalize()


def day_needs(vials: Iterable[Mapping[str, Any]]) -> dict[Decimal, int]:
    """Sizes and counts from a plan day's `vials` rows ({"size_g": ..., "count": ...})."""
    needed: dict[Decimal, int] = {}
    for vial in vials:
        size = size_key(vial["size_g"])
        needed[size] = needed.get(size, 0) + int(vial["count"])
    return {size: count for size, count in needed.items() if count > 0}


def still_needed(needed: Mapping[Decimal, int], scanned: Mapping[Decimal, int]) -> dict[Decimal, int]:
    """The day's vials not yet covered by accepted scans, largest size first."""
    return {
        size: count - scanned.get(size, 0)
        for size, count in sorted(needed.items(), reverse=True)
        if scanned.get(size, 0) < count
    }


def describe(counts: Mapping[Decimal, int]) -> str:
    parts = [f"{count} × {size:f} g" for size, count in sorted(counts.items(), reverse=True) if count > 0]
    return " + ".join(parts) or "none"


def check_day_vial(
    day_number: int, needed: Mapping[Decimal, int], scanned: Mapping[Decimal, int], size_g: Decimal
) -> DayVialCheck:
    """Is one more vial of `size_g` part of today's set, given the vials already accepted today?"""
    size = size_key(size_g)
    if not needed:
        return DayVialCheck(
            False,
            f"The verified plan lists no vials for day {day_number}: ask the pharmacy before using any.",
        )
    facts = f"Day {day_number} needs {describe(needed)}; already scanned: {describe(scanned)}."
    if size not in needed:
        return DayVialCheck(
            False,
            f"Not for today: day {day_number} uses no {size:f} g vial. {facts} Return it to the pharmacy.",
        )
    if scanned.get(size, 0) >= needed[size]:
        return DayVialCheck(
            False,
            f"Not for today: every {size:f} g vial for day {day_number} is already scanned, and this one "
            f"belongs to another day of the course. {facts} Keep it for that day.",
        )
    return DayVialCheck(True, f"{size:f} g vial for day {day_number}.")

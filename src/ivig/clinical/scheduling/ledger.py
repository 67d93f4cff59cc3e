"""Bookings of a day as they are made, to ask "is this chair / nurse free for that?".

Used by the FCFS baseline (which books one request at a time) and by the pass that turns the optimiser's
pooled chairs and nurse teams into named chairs and nurses. The nurse rule is the one in instance.py.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from ivig.clinical.scheduling.instance import Appointment, Chair, Instance, Nurse
from ivig.clinical.scheduling.result import Assignment


class Ledger:
    def __init__(self, instance: Instance) -> None:
        self.setup_min = instance.nurse_setup_min
        self._chair: dict[str, int] = defaultdict(int)  # busy minutes of the day as bits (fast overlap test)
        self._plainest: dict[int, tuple[Sequence[Chair], list[Chair]]] = {}
        self._nurse: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self.load_min: dict[str, int] = defaultdict(int)  # minutes each nurse looks after, for balance
        self.assignments: list[Assignment] = []

    def chair_free(self, chair: Chair, start_min: int, end_min: int) -> bool:
        return not self._chair[chair.id] & _bits(start_min, end_min)

    def nurse_free(self, nurse: Nurse, start_min: int, end_min: int) -> bool:
        """Return whether the nurse can set up at start_min and watch until end_min."""
        if start_min < nurse.start_min or end_min > nurse.end_min:
            return False
        setup_end = start_min + self.setup_min
        booked = self._nurse[nurse.id]
        if any(s < setup_end and start_min < s + self.setup_min for s, _ in booked):
            return False
        # Her number of patients only rises at a start: count at each start inside the new interval.
        overlapping = [(s, e) for s, e in booked if s < end_min and start_min < e]
        points = [start_min, *(s for s, _ in overlapping if s > start_min)]
        return all(sum(1 for s, e in overlapping if s <= t < e) < nurse.max_watching for t in points)

    def book(self, appointment: Appointment, chair: Chair, nurse: Nurse, start_min: int) -> Assignment:
        end_min = start_min + appointment.duration_min
        self._chair[chair.id] |= _bits(start_min, end_min)
        self._nurse[nurse.id].append((start_min, end_min))
        self.load_min[nurse.id] += appointment.duration_min
        assignment = Assignment(appointment.id, chair.id, nurse.id, start_min, end_min)
        self.assignments.append(assignment)
        return assignment

    def unbook(self, assignment: Assignment) -> None:
        """Take a booking back (to try it elsewhere)."""
        span = (assignment.start_min, assignment.end_min)
        self._chair[assignment.chair] &= ~_bits(*span)
        self._nurse[assignment.nurse].remove(span)
        self.load_min[assignment.nurse] -= assignment.end_min - assignment.start_min
        self.assignments.remove(assignment)

    def first_fit(
        self, appointment: Appointment, start_min: int, chairs: Sequence[Chair], nurses: Iterable[Nurse]
    ) -> tuple[Chair, Nurse] | None:
        """Return the plainest free chair and a free nurse at this start, or None.

        The nurse is the one whose shift ends first (keeping later shifts for later and longer
        infusions), then the least loaded.
        """
        end_min = start_min + appointment.duration_min
        busy = _bits(start_min, end_min)
        chair = next((c for c in self._plainest_first(chairs) if not self._chair[c.id] & busy), None)
        if chair is None:
            return None
        free = [n for n in nurses if self.nurse_free(n, start_min, end_min)]
        if not free:
            return None
        return chair, min(free, key=lambda n: (n.end_min, self.load_min[n.id], n.id))

    def _plainest_first(self, chairs: Sequence[Chair]) -> list[Chair]:
        """Keep chairs with features (beds, isolation) for the requests that need them (sorted once)."""
        cached = self._plainest.get(id(chairs))
        if cached is None or cached[0] is not chairs:
            cached = self._plainest[id(chairs)] = (chairs, sorted(chairs, key=lambda c: len(c.features)))
        return cached[1]


def _bits(start_min: int, end_min: int) -> int:
    """Return the minutes [start, end) as set bits."""
    return ((1 << (end_min - start_min)) - 1) << start_min

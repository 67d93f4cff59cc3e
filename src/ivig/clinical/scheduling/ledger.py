"""Bookings of a day as they are made, to ask "is this chair / nurse free for that?".

Used by the FCFS baseline (which books one request at a time) and by the pass that turns the optimiser's
pooled chairs and nurse teams into named chairs and nurses. The nurse rule, handovers included, is the one
in instance.py: a booking is a chain of segments (one segment when one nurse watches it all).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ivig.clinical.scheduling.eligibility import Options, shift_chains
from ivig.clinical.scheduling.instance import Appointment, Chair, Instance, Nurse, Segment
from ivig.clinical.scheduling.result import Assignment

Chain = tuple[Segment, ...]
Fit = tuple[Chair, Chain]


@dataclass(frozen=True, slots=True)
class ShiftGroup:
    start_min: int
    end_min: int
    nurses: tuple[Nurse, ...]


class Ledger:
    def __init__(self, instance: Instance) -> None:
        self.setup_min = instance.nurse_setup_min
        self.handover_min = instance.handover_min or 0
        self._nurses = {n.id: n for n in instance.nurses}
        self._chair: dict[str, int] = defaultdict(int)  # busy minutes of the day as bits (fast overlap test)
        self._plainest: dict[int, tuple[Sequence[Chair], list[Chair]]] = {}
        self._shifts: dict[int, tuple[Sequence[Nurse], list[ShiftGroup]]] = {}
        self._nurse: dict[str, list[tuple[int, int, bool]]] = defaultdict(list)  # start, end, sets up
        self.load_min: dict[str, int] = defaultdict(int)  # minutes each nurse looks after, for balance
        self.assignments: list[Assignment] = []

    def chair_free(self, chair: Chair, start_min: int, end_min: int) -> bool:
        return not self._chair[chair.id] & _bits(start_min, end_min)

    def nurse_free(self, nurse: Nurse, start_min: int, end_min: int, *, sets_up: bool = True) -> bool:
        """Return whether the nurse can (set up at start_min and) watch from start_min until end_min."""
        if start_min < nurse.start_min or end_min > nurse.end_min:
            return False
        booked = self._nurse[nurse.id]
        if sets_up:
            setup_end = start_min + self.setup_min
            if any(up and s < setup_end and start_min < s + self.setup_min for s, _, up in booked):
                return False
        # Her number of patients only rises at a start: count at each start inside the new interval.
        overlapping = [(s, e) for s, e, _ in booked if s < end_min and start_min < e]
        points = [start_min, *(s for s, _ in overlapping if s > start_min)]
        return all(sum(1 for s, e in overlapping if s <= t < e) < nurse.max_watching for t in points)

    def book(self, appointment: Appointment, chair: Chair, chain: Chain, start_min: int) -> Assignment:
        end_min = start_min + appointment.duration_min
        self._chair[chair.id] |= _bits(start_min, end_min)
        for i, segment in enumerate(chain):
            self._nurse[segment.nurse].append((segment.start_min, segment.end_min, i == 0))
            self.load_min[segment.nurse] += segment.end_min - segment.start_min
        segments = chain if len(chain) > 1 else ()
        assignment = Assignment(appointment.id, chair.id, chain[0].nurse, start_min, end_min, segments)
        self.assignments.append(assignment)
        return assignment

    def unbook(self, assignment: Assignment) -> None:
        """Take a booking back (to try it elsewhere)."""
        self._chair[assignment.chair] &= ~_bits(assignment.start_min, assignment.end_min)
        for i, segment in enumerate(assignment.chain):
            self._nurse[segment.nurse].remove((segment.start_min, segment.end_min, i == 0))
            self.load_min[segment.nurse] -= segment.end_min - segment.start_min
        self.assignments.remove(assignment)

    def fit(self, found: Options, start_min: int) -> Fit | None:
        """Return a free chair and nurse, or chain of nurses, for this appointment at this start, or None."""
        appointment = found.appointment
        fixed = appointment.fixed
        if fixed is not None and fixed.chain:
            chair = self.free_chair(found.chairs, start_min, start_min + appointment.duration_min)
            if chair is None or not all(
                self.nurse_free(self._nurses[s.nurse], s.start_min, s.end_min, sets_up=i == 0)
                for i, s in enumerate(fixed.chain)
            ):
                return None
            return chair, fixed.chain
        return self.first_fit(appointment, start_min, found.chairs, found.nurses, pool=found.pool)

    def first_fit(
        self,
        appointment: Appointment,
        start_min: int,
        chairs: Sequence[Chair],
        nurses: Iterable[Nurse],
        *,
        pool: Sequence[Nurse] = (),
    ) -> Fit | None:
        """Return the plainest free chair and a free nurse at this start, else a chain from the pool.

        The nurse is the one whose shift ends first (keeping later shifts for later and longer
        infusions), then the least loaded. Chains: the fewest nurses first.
        """
        end_min = start_min + appointment.duration_min
        chair = self.free_chair(chairs, start_min, end_min)
        if chair is None:
            return None
        free = [n for n in nurses if self.nurse_free(n, start_min, end_min)]
        if free:
            nurse = min(free, key=lambda n: (n.end_min, self.load_min[n.id], n.id))
            return chair, (Segment(nurse.id, start_min, end_min),)
        if not pool:
            return None
        for shifts in shift_chains(
            self._by_shift(pool), start_min, end_min, self.setup_min, self.handover_min
        ):
            hand_at = [s.end_min for s in shifts[:-1]]
            chain = self.name_chain(start_min, end_min, [s.nurses for s in shifts], hand_at)
            if chain is not None:
                return chair, chain
        return None

    def name_chain(
        self, start_min: int, end_min: int, teams: Sequence[Sequence[Nurse]], hand_at: Sequence[int]
    ) -> Chain | None:
        """Name one free nurse from each team in turn: the i-th watches until hand_at[i] (the last to the
        end), the next from the handover minutes before; None when a team has no one free."""
        segments: list[Segment] = []
        begin = start_min
        for i, team in enumerate(teams):
            until = hand_at[i] if i < len(hand_at) else end_min
            free = [n for n in team if self.nurse_free(n, begin, until, sets_up=i == 0)]
            if not free:
                return None
            nurse = min(free, key=lambda n: (self.load_min[n.id], n.id))
            segments.append(Segment(nurse.id, begin, until))
            begin = until - self.handover_min
        return tuple(segments)

    def free_chair(self, chairs: Sequence[Chair], start_min: int, end_min: int) -> Chair | None:
        busy = _bits(start_min, end_min)
        return next((c for c in self._plainest_first(chairs) if not self._chair[c.id] & busy), None)

    def _by_shift(self, pool: Sequence[Nurse]) -> list[ShiftGroup]:
        """Return the pool's nurses grouped by shift (grouped once per pool)."""
        cached = self._shifts.get(id(pool))
        if cached is None or cached[0] is not pool:
            groups: dict[tuple[int, int], list[Nurse]] = defaultdict(list)
            for nurse in pool:
                groups[(nurse.start_min, nurse.end_min)].append(nurse)
            shifts = [ShiftGroup(start, end, tuple(groups[(start, end)])) for start, end in sorted(groups)]
            cached = self._shifts[id(pool)] = (pool, shifts)
        return cached[1]

    def _plainest_first(self, chairs: Sequence[Chair]) -> list[Chair]:
        """Keep chairs with features (beds, isolation) for the requests that need them (sorted once)."""
        cached = self._plainest.get(id(chairs))
        if cached is None or cached[0] is not chairs:
            cached = self._plainest[id(chairs)] = (chairs, sorted(chairs, key=lambda c: len(c.features)))
        return cached[1]


def _bits(start_min: int, end_min: int) -> int:
    """Return the minutes [start, end) as set bits."""
    return ((1 << (end_min - start_min)) - 1) << start_min

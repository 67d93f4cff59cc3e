"""A local pass after the solver: move each appointment as near its preferred start as the day allows.

It never moves a fixed appointment, never ends anything after the plan's last end (so the day length and
overtime stay), and keeps every rule, since each move is booked through the ledger like any booking.
"""

from __future__ import annotations

from collections.abc import Sequence

from ivig.clinical.scheduling.eligibility import options
from ivig.clinical.scheduling.instance import Instance
from ivig.clinical.scheduling.ledger import Ledger
from ivig.clinical.scheduling.result import Assignment

ROUNDS = 2


def nearer_preferred(instance: Instance, assignments: Sequence[Assignment]) -> list[Assignment]:
    """Return the plan with starts moved towards the preferred ones, the farthest first."""
    ledger = Ledger(instance)
    requests = {a.id: a for a in instance.appointments}
    chairs = {c.id: c for c in instance.chairs}
    for assignment in sorted(assignments, key=lambda a: (a.start_min, a.id)):
        ledger.book(requests[assignment.id], chairs[assignment.chair], assignment.chain, assignment.start_min)
    last_end = max((a.end_min for a in assignments), default=instance.day_start_min)
    for _ in range(ROUNDS):
        moved = False
        booked = [a for a in ledger.assignments if requests[a.id].fixed is None]
        for current in sorted(booked, key=lambda a: -abs(a.start_min - requests[a.id].preferred_start_min)):
            request = requests[current.id]
            distance = abs(current.start_min - request.preferred_start_min)
            if distance == 0:
                continue
            found = options(instance, request)
            nearer = [
                s
                for s in found.starts
                if abs(s - request.preferred_start_min) < distance and s + request.duration_min <= last_end
            ]
            ledger.unbook(current)
            for start_min in sorted(nearer, key=lambda s: (abs(s - request.preferred_start_min), s)):
                fit = ledger.fit(found, start_min)
                if fit is not None:
                    ledger.book(request, *fit, start_min)
                    moved = True
                    break
            else:
                ledger.book(request, chairs[current.chair], current.chain, current.start_min)
        if not moved:
            break
    return ledger.assignments

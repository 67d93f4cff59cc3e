"""List scheduling: each request in turn gets its earliest feasible start.

In request order it is the first-come-first-served baseline; longest first it is the optimiser's start.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from ivig.clinical.scheduling.eligibility import options, reason_no_capacity, reason_unplaceable
from ivig.clinical.scheduling.instance import Appointment, Instance
from ivig.clinical.scheduling.ledger import Ledger
from ivig.clinical.scheduling.result import Schedule, Status, Unscheduled, make_schedule


def schedule_fcfs(instance: Instance) -> Schedule:
    """Book fixed appointments as they are, then every other request in request order."""
    return list_schedule(instance, instance.appointments, method="fcfs")


def schedule_longest_first(instance: Instance) -> Schedule:
    """Book fixed appointments, then the requests that need a special chair, then the longest first.

    Special chairs are few and plain requests may sit in them; long infusions are the hardest to fit late.
    """
    order = sorted(instance.appointments, key=lambda a: (not a.needs, -a.duration_min, a.earliest_start_min))
    return list_schedule(instance, order, method="longest-first")


def list_schedule(instance: Instance, order: Sequence[Appointment], *, method: str) -> Schedule:
    """Book the fixed appointments, then each other request in this order at its earliest feasible start."""
    started = time.perf_counter()
    ledger = Ledger(instance)
    unscheduled: list[Unscheduled] = []
    ordered = sorted(order, key=lambda a: a.fixed is None)  # stable: the order is kept
    for appointment in ordered:
        reason = reason_unplaceable(instance, appointment)
        if reason is None:
            found = options(instance, appointment)
            for start_min in found.starts:
                fit = ledger.fit(found, start_min)
                if fit is not None:
                    ledger.book(appointment, *fit, start_min)
                    break
            else:
                reason = reason_no_capacity(instance, appointment)
        if reason is not None and appointment.fixed is not None:
            return infeasible(instance, f"fixed appointment {appointment.id} cannot be kept: {reason}")
        if reason is not None:
            unscheduled.append(Unscheduled(appointment.id, reason))
    return make_schedule(
        instance,
        ledger.assignments,
        unscheduled,
        status=Status.FEASIBLE,
        method=method,
        solve_s=time.perf_counter() - started,
    )


def infeasible(instance: Instance, reason: str) -> Schedule:
    """Return no plan at all: the fixed appointments cannot all be kept."""
    everyone = [Unscheduled(a.id, reason) for a in instance.appointments]
    return make_schedule(instance, [], everyone, status=Status.INFEASIBLE, method="fcfs", notes=[reason])

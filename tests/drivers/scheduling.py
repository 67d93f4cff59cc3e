"""Booking an order at the `centre` fixture (two chairs, two nurses, a scheduler), as its scheduler."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any


def place(
    centre: Any, order: Any, *, chair: int = 0, nurse: int = 0, start: time = time(9, 0), **needs: bool
) -> list[Any]:
    """Place the course on the scheduler's chosen chair and nurse (indexes into the centre's) from
    `centre.day` at `start`; returns its appointments, day by day."""
    from ivig.scheduling import actions

    return actions.place_order(
        by=centre.scheduler,
        order=order,
        first=centre.day,
        start=start,
        chair=centre.chairs[chair],
        nurse=centre.nurses[nurse],
        needs=actions.Needs(**needs),
    )


def book(centre: Any, order: Any, *, days: int = 1, preferred: time = time(9, 0), **needs: bool) -> Any:
    """Let the solver book the course within `days` days from `centre.day`."""
    from ivig.scheduling import actions

    return actions.book_order(
        by=centre.scheduler,
        order=order,
        first=centre.day,
        last=centre.day + timedelta(days=days - 1),
        preferred=preferred,
        needs=actions.Needs(**needs),
    )


def past_appointment(centre: Any, order: Any) -> Any:
    """Book tomorrow, then slide the booking back two days: the way yesterday's list looks today."""
    from ivig.scheduling.models import Appointment

    a = place(centre, order)[0]
    back = timedelta(days=2)
    Appointment.objects.filter(pk=a.pk).update(day=a.day - back, start=a.start - back, end=a.end - back)
    a.refresh_from_db()
    return a

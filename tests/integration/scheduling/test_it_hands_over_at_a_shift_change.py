"""Centre handover: when no nurse's shift holds an infusion from its earliest start, the solver books a
chain (the first nurse until her shift ends, the next from the handover minutes before); the day and
appointment pages show both nurses, and optimising a day keeps or makes the handover."""

from __future__ import annotations

from datetime import time

import pytest
from django.urls import reverse
from django.utils import timezone

from ivig.scheduling.day import day_state, load_series
from ivig.scheduling.models import Appointment, CentreHours, NurseShift
from tests.drivers.scheduling import book, place
from tests.plugins.scheduling import day_violations

pytestmark = pytest.mark.django_db


def early_and_late(centre: object) -> None:
    """On the centre's first day, nurse 1 leaves at 10:00 and nurse 2 comes at 09:00."""
    shifts = NurseShift.objects.filter(day=centre.day)  # type: ignore[attr-defined]
    shifts.filter(nurse=centre.nurses[0]).update(start=time(7, 30), end=time(10, 0))  # type: ignore[attr-defined]
    shifts.filter(nurse=centre.nurses[1]).update(start=time(9, 0), end=time(18, 0))  # type: ignore[attr-defined]


def local(moment: object) -> str:
    return timezone.localtime(moment).strftime("%H:%M")  # type: ignore[arg-type]


def test_it_books_a_handover_where_no_shift_holds_the_infusion(client, make_user, make_order, centre):
    early_and_late(centre)
    first = book(centre, make_order(make_user("Prescriber")), days=2)[0]

    assert local(first.start) == "08:00"
    assert first.nurse == centre.nurses[0] and first.handover_nurse == centre.nurses[1]
    assert (local(first.handover_start), local(first.handover_end)) == ("09:45", "10:00")
    assert day_violations(centre.day) == []
    state = day_state(centre.day)
    assert len(state.booked.assignment(f"A{first.pk}").segments) == 2
    load = load_series(state)  # minute by minute from opening (08:00): both count the patient 09:45-10:00
    early, late = (load[f"N{n.pk}"]["counts"] for n in centre.nurses)
    assert (early[104], early[119], early[120]) == (1, 1, 0)
    assert (late[104], late[105], late[130]) == (0, 1, 1)
    client.force_login(centre.scheduler)
    shown = f"{centre.nurses[0].display_name} until 10:00, then {centre.nurses[1].display_name} (from 09:45)"
    day_page = client.get(reverse("scheduling:day") + f"?date={centre.day.isoformat()}")
    assert shown in day_page.content.decode()
    appointment_page = client.get(reverse("scheduling:appointment", args=[first.pk]))
    assert shown in appointment_page.content.decode()


def test_it_books_one_nurse_when_the_centre_allows_no_handovers(make_user, make_order, centre):
    CentreHours.objects.filter(pk=1).update(handover_minutes=None)
    early_and_late(centre)
    first = book(centre, make_order(make_user("Prescriber")), days=2)[0]

    assert first.handover_nurse is None and first.nurse == centre.nurses[1]
    assert local(first.start) == "09:00"
    assert day_violations(centre.day) == []


def test_it_makes_the_handover_when_it_optimises_the_day(client, make_user, make_order, centre):
    early_and_late(centre)
    late = place(centre, make_order(make_user("Prescriber")), nurse=1, start=time(9, 0))[0]
    client.force_login(centre.scheduler)
    url = reverse("scheduling:optimise")

    proposal = client.get(url, {"date": centre.day.isoformat()})
    assert proposal.status_code == 200
    assert f"{centre.nurses[0].display_name} until 10:00, then {centre.nurses[1].display_name}" in (
        proposal.content.decode()
    )
    client.post(
        url,
        {
            "date": centre.day.isoformat(),
            "fingerprint": proposal.context["p"].fingerprint,
            "confirm": "apply",
        },
    )

    late.refresh_from_db()
    assert local(late.start) == "08:00" and late.handover_nurse == centre.nurses[1]
    assert day_violations(centre.day) == []


def test_it_drops_the_handover_when_the_appointment_moves(make_user, make_order, centre):
    from ivig.scheduling.moves import move_appointment

    early_and_late(centre)
    first = book(centre, make_order(make_user("Prescriber")), days=2)[0]
    assert first.handed_over

    move_appointment(
        by=centre.scheduler,
        appointment=first,
        day=centre.day,
        start=time(9, 0),
        chair=first.chair,
        nurse=centre.nurses[1],
    )

    moved = Appointment.objects.get(pk=first.pk)
    assert not moved.handed_over and moved.nurse == centre.nurses[1]
    assert day_violations(centre.day) == []

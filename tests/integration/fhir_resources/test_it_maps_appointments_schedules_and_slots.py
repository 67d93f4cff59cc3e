"""Appointment, Schedule (one per chair) and Slot (the chair time an active appointment holds), valid R4 in
every status, with the references between them."""

from __future__ import annotations

from datetime import datetime, time

from ivig.scheduling import actions
from ivig.scheduling.models import Appointment, Chair, NurseShift
from tests.drivers.scheduling import place
from tests.fhir_validation import validate_r4

from .served import by_id


def _book(centre, order, *, chair=0, start=time(9, 0)):
    return place(centre, order, chair=chair, nurse=chair, start=start, paediatric=chair == 0)


def test_it_maps_a_booked_course_with_its_slots_and_chair_schedule(centre, make_user, make_order):
    order = make_order(make_user("Prescriber"))
    first, second = _book(centre, order)
    appointments, slots, schedules = by_id("Appointment"), by_id("Slot"), by_id("Schedule")
    for resource in [*appointments.values(), *slots.values(), *schedules.values()]:
        validate_r4(resource)

    a = appointments[str(first.pk)]
    assert a["status"] == "booked"
    assert datetime.fromisoformat(a["start"]) == first.start and a["minutesDuration"] == first.duration_min
    actors = [p["actor"] for p in a["participant"]]
    assert actors[0] == {"reference": f"Patient/{order.patient_id}"}
    assert actors[1]["display"] == centre.nurses[0].display_name
    assert actors[2] == {"type": "Location", "display": "Chair 1"}
    assert a["slot"] == [{"reference": f"Slot/{first.pk}"}]
    assert a["supportingInformation"] == [{"reference": f"MedicationRequest/{order.pk}"}]
    assert a["comment"] == "Needs: paediatric"

    slot = slots[str(second.pk)]
    assert slot["status"] == "busy" and slot["schedule"] == {"reference": f"Schedule/{centre.chairs[0].pk}"}
    assert datetime.fromisoformat(slot["end"]) == second.end
    assert set(schedules) == {str(c.pk) for c in Chair.objects.all()}
    assert schedules[str(centre.chairs[1].pk)]["actor"] == [{"type": "Location", "display": "Chair 2"}]


def test_it_maps_every_status_and_drops_the_slot_of_a_cancelled_one(
    centre, make_user, make_order, django_assert_num_queries
):
    prescriber = make_user("Prescriber")
    first, second = _book(centre, make_order(prescriber))
    third, fourth = _book(centre, make_order(prescriber), chair=1)
    for status in ("arrived", "started", "completed"):
        actions.set_status(by=centre.scheduler, appointment=first, status=status)
    actions.set_status(by=centre.scheduler, appointment=third, status="arrived")
    actions.cancel_appointment(by=centre.scheduler, appointment=second, reason="patient unwell")
    Appointment.objects.filter(pk=fourth.pk).update(status="no_show")

    with django_assert_num_queries(2):  # one per source, not per row
        appointments, slots = by_id("Appointment"), by_id("Slot")
    for resource in [*appointments.values(), *slots.values()]:
        validate_r4(resource)
    assert appointments[str(first.pk)]["status"] == "fulfilled"
    assert appointments[str(third.pk)]["status"] == "arrived"
    assert appointments[str(fourth.pk)]["status"] == "noshow"
    cancelled = appointments[str(second.pk)]
    assert cancelled["status"] == "cancelled" and cancelled["cancelationReason"] == {"text": "patient unwell"}
    assert "slot" not in cancelled and "slot" not in appointments[str(fourth.pk)]
    assert set(slots) == {str(first.pk), str(third.pk)}
    Appointment.objects.filter(pk=third.pk).update(status="started")
    assert by_id("Appointment")[str(third.pk)]["status"] == "checked-in"


def test_it_maps_a_home_visit_without_chair_or_slot(centre, make_user, make_order):
    NurseShift.objects.filter(nurse=centre.nurses[1]).update(home_visits=True)
    order = make_order(make_user("Prescriber"))
    (visit, *_rest) = actions.book_home_visits(
        by=centre.scheduler, order=order, first=centre.day, start=time(10, 0), nurse=centre.nurses[1]
    )
    resource = by_id("Appointment")[str(visit.pk)]
    validate_r4(resource)
    assert "slot" not in resource and len(resource["participant"]) == 2
    assert "home visit" in resource["description"]
    assert str(visit.pk) not in by_id("Slot")


def test_it_names_both_nurses_of_a_handover_with_their_periods(centre, make_user, make_order):
    first = _book(centre, make_order(make_user("Prescriber")))[0]
    handover_start = first.start + (first.end - first.start) / 2
    handover_end = handover_start + (first.end - first.start) / 10
    Appointment.objects.filter(pk=first.pk).update(
        handover_nurse=centre.nurses[1], handover_start=handover_start, handover_end=handover_end
    )

    a = by_id("Appointment")[str(first.pk)]

    validate_r4(a)
    nurses = [p for p in a["participant"] if p["actor"].get("type") == "Practitioner"]
    assert [p["actor"]["display"] for p in nurses] == [n.display_name for n in centre.nurses]
    assert datetime.fromisoformat(nurses[0]["period"]["end"]) == handover_end
    assert datetime.fromisoformat(nurses[1]["period"]["start"]) == handover_start
    assert datetime.fromisoformat(nurses[1]["period"]["end"]) == first.end

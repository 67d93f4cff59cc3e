"""Search by patient, date (with prefixes), code, category, lot and status, on every mapped source; a bad
value is refused with a message, never a server error."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ivig import clock
from ivig.fhir import registry
from ivig.followup.actions import record_entry, start_follow_up
from ivig.patients.lab_actions import check_lab_value, record_lab_results
from ivig.scheduling import actions as booking
from tests.drivers.infusions import running
from tests.drivers.scheduling import place

from .served import served


def ids(resource_type, **searches):
    return sorted(resource["id"] for resource in served(resource_type, **searches))


def _labs(nurse, patient, *rows):
    entries = [
        check_lab_value(patient=patient, kind=kind, value=Decimal(value), unit=unit, taken_on=taken)
        for kind, value, unit, taken in rows
    ]
    return [f"lab-{r.pk}" for r in record_lab_results(by=nurse, entries=entries)]


def test_it_searches_lab_observations_by_patient_date_code_and_category(make_user, make_patient):
    nurse = make_user("Nurse")
    ada, bob = make_patient(nurse, weight_kg=None, height_cm=None), make_patient(nurse, given_name="Bob")
    day = date(2026, 3, 10)
    igg, plt = _labs(
        nurse, ada, ("igg", "6.1", "g/L", day), ("platelets", "45", "x10^9/L", day - timedelta(days=20))
    )
    (bob_igg,) = _labs(nurse, bob, ("igg", "7.0", "g/L", day))

    assert ids("Observation", patient=f"Patient/{ada.pk}") == sorted([igg, plt])
    assert ids("Observation", patient=str(bob.pk), code="2465-3") == [bob_igg]
    assert ids("Observation", patient=f"{ada.pk},{bob.pk}", code="http://loinc.org|2465-3") == sorted(
        [igg, bob_igg]
    )
    assert ids("Observation", code="http://snomed.info/sct|2465-3") == []
    assert ids("Observation", code="777-3", patient=str(ada.pk)) == [plt]
    assert ids("Observation", date="2026-03-10") == sorted([igg, bob_igg])
    assert ids("Observation", date="2026-03-10T12:00:00-04:00", patient=str(ada.pk)) == [igg]
    assert ids("Observation", date="lt2026-03", patient=str(ada.pk)) == [plt]
    assert ids("Observation", date="ge2026-03", patient=str(ada.pk)) == [igg]
    assert ids("Observation", date="gt2026-03-09", patient=str(ada.pk)) == [igg]
    assert ids("Observation", date="le2026-03-09", patient=str(ada.pk)) == [plt]
    assert ids("Observation", category="laboratory", patient=str(ada.pk)) == sorted([igg, plt])
    assert ids("Observation", category="vital-signs", patient=str(ada.pk)) == []
    # Bob's chart weight and height are vital signs.
    assert len(ids("Observation", category="vital-signs", patient=str(bob.pk))) == 2
    assert len(ids("Observation", code="29463-7")) == 1


def test_it_searches_administrations_and_vitals_by_lot_patient_and_date(dispensed_order, fixed_clock):
    d = dispensed_order
    session = running(d)
    whole, segment = f"inf-{session.pk}", f"seg-{session.segments.get().pk}"
    today = timezone.localdate().isoformat()

    assert ids("MedicationAdministration", lot="G20A") == sorted([whole, segment])
    assert ids("MedicationAdministration", lot="g20a") == []  # as printed, like every lot search
    # OLD05 was dispensed for the order but not scanned for this session; OTHER20 never dispensed.
    assert ids("MedicationAdministration", lot="OLD05") == []
    assert ids("MedicationAdministration", lot="OTHER20") == []
    assert ids("MedicationAdministration", patient=str(d.order.patient_id)) == sorted([whole, segment])
    assert ids("MedicationAdministration", patient=str(d.order.patient_id + 1)) == []
    assert ids("MedicationAdministration", request=f"MedicationRequest/{d.order.pk}") == sorted(
        [whole, segment]
    )
    assert ids("MedicationAdministration", date=today) == sorted([whole, segment])
    assert ids("MedicationAdministration", **{"effective-time": f"gt{clock.now().isoformat()}"}) == []
    assert ids("MedicationAdministration", date=f"ge{clock.now().isoformat()}") == sorted([whole, segment])
    vitals = ids("Observation", patient=str(d.order.patient_id), date=today, category="vital-signs")
    # The baseline set (heart rate, blood pressure) and the day's weight; no temperature was taken.
    kinds = {v.split("-")[0] for v in vitals}
    assert {"bp", "hr", "wtinf"} <= kinds and not {"temp", "rr", "spo2", "lab"} & kinds
    assert len(ids("Observation", code="85354-9", patient=str(d.order.patient_id))) == 1


def test_it_searches_appointments_slots_and_diaries(centre, make_user, make_order, make_dispensed_order):
    order = make_order(make_user("Prescriber"))
    first, second = place(centre, order, chair=1, nurse=1)
    booking.cancel_appointment(by=centre.scheduler, appointment=second, reason="moved to next week")
    assert ids("Appointment", patient=str(order.patient_id)) == sorted([str(first.pk), str(second.pk)])
    assert ids("Appointment", date=centre.day.isoformat()) == [str(first.pk)]
    assert ids("Appointment", status="cancelled") == [str(second.pk)]
    assert ids("Appointment", status="booked,cancelled") == sorted([str(first.pk), str(second.pk)])
    assert ids("Slot", schedule=f"Schedule/{centre.chairs[1].pk}") == [str(first.pk)]
    assert ids("Slot", schedule=f"Schedule/{centre.chairs[0].pk}") == []
    assert ids("Schedule", active="true") == sorted(str(c.pk) for c in centre.chairs)

    nurse = make_user("Nurse", username="diary-nurse")
    follow_up = start_follow_up(
        by=nurse,
        order=make_dispensed_order(patient=order.patient),
        ended_at=timezone.now() - timedelta(hours=30),
    )
    entry = record_entry(
        by=nurse, follow_up=follow_up, temp=None, temp_unit="C", symptoms={}, notes="All well"
    )
    assert ids("QuestionnaireResponse", patient=f"Patient/{order.patient_id}") == [str(entry.pk)]
    assert ids("QuestionnaireResponse", authored=f"lt{timezone.localdate().isoformat()}") == []
    assert ids("QuestionnaireResponse", date=timezone.localdate().isoformat()) == [str(entry.pk)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("patient", "Practitioner/3", "is not a Patient reference"),
        ("patient", "abc", "is not a Patient id"),
        ("patient", "1,,2", "empty value"),
        ("subject", "Patient/x", "is not a Patient id"),
        ("date", "last week", "is not a FHIR date"),
        ("date", "2026-02-31", "is not a real date"),
        ("code", "http://loinc.org|", "give a code"),
        ("category", "imaging", "is not known"),
        ("lot", "", "lot number"),
        ("lot", "X" * 21, "lot number"),
        ("status", "running", "is not known"),
        ("schedule", "Location/1", "is not a Schedule reference"),
        ("active", "yes", "use true or false"),
        ("request", "ServiceRequest/1", "is not a MedicationRequest reference"),
    ],
)
def test_it_refuses_bad_search_values_with_a_message(name, value, message):
    tried = 0
    for source in registry.all_sources():
        if name in source.search:
            tried += 1
            with pytest.raises(registry.SearchError, match=message):
                list(source.search[name](source.base_queryset(), value))
    assert tried, f"no source searches by {name}"

"""From the chart, staff record a measurement or an allergy; bad input is shown again and writes nothing."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from ivig.audit.models import AuditEvent


def test_it_records_a_measurement_in_pounds(client, make_user, make_patient):
    nurse = make_user("Nurse")
    patient = make_patient(nurse)
    client.force_login(nurse)

    response = client.post(
        reverse("patients:measurement_add", args=[patient.pk]),
        {
            "measured_on": "2026-01-05",
            "weight": "110",
            "weight_unit": "lb",
            "height": "",
            "height_unit": "cm",
        },
    )

    assert response.status_code == 302
    assert patient.measurements.filter(weight_kg=Decimal("49.90")).exists()
    assert AuditEvent.objects.filter(action="measurement.create", patient_id=patient.pk).exists()


def test_it_shows_measurement_errors_and_writes_nothing(client, make_user, make_patient):
    nurse = make_user("Nurse")
    patient = make_patient(nurse)
    client.force_login(nurse)
    before = patient.measurements.count(), AuditEvent.objects.count()

    response = client.post(
        reverse("patients:measurement_add", args=[patient.pk]),
        {"measured_on": "2099-01-05", "weight": "-3", "weight_unit": "kg", "height": "", "height_unit": "cm"},
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "cannot be in the future" in body
    assert "Weight must be between" in body
    assert "Record a measurement for" in body
    assert (patient.measurements.count(), AuditEvent.objects.count()) == before


def test_it_adds_and_deactivates_an_allergy(client, make_user, make_patient):
    nurse = make_user("Nurse")
    patient = make_patient(nurse)
    client.force_login(nurse)

    client.post(
        reverse("patients:allergy_add", args=[patient.pk]), {"substance": "Penicillin", "severity": "severe"}
    )
    allergy = patient.allergies.get()
    client.post(reverse("patients:allergy_deactivate", args=[patient.pk, allergy.pk]))

    allergy.refresh_from_db()
    assert allergy.active is False
    actions = list(AuditEvent.objects.filter(patient_id=patient.pk).values_list("action", flat=True))
    assert {"allergy.create", "allergy.deactivate"} <= set(actions)


def test_it_shows_allergy_errors_again(client, make_user, make_patient):
    nurse = make_user("Nurse")
    patient = make_patient(nurse)
    client.force_login(nurse)

    response = client.post(
        reverse("patients:allergy_add", args=[patient.pk]), {"substance": "", "severity": "x"}
    )

    assert response.status_code == 400
    assert "Add an allergy for" in response.content.decode()
    assert not patient.allergies.exists()

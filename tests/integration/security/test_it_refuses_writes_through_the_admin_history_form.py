"""Patients, measurements and allergies are read-only in the admin: django-simple-history's revert form
would save a POST for anyone who may view the history; it is refused, and the record stays as it was."""

from __future__ import annotations

import pytest

from ivig.audit.models import AuditEvent
from ivig.patients.models import Measurement, Patient

pytestmark = pytest.mark.django_db


def test_it_refuses_a_patient_change_posted_to_the_history_form(client, make_user, make_patient):
    admin = make_user("Admin")
    patient = make_patient(admin)
    version = patient.history.latest().history_id
    client.force_login(admin)
    url = f"/admin/patients/patient/{patient.pk}/history/{version}/"
    assert client.get(url).status_code == 200  # the history can still be read

    response = client.post(
        url,
        {
            "mrn": patient.mrn,
            "given_name": "Changed",
            "family_name": patient.family_name,
            "date_of_birth": "1990-05-17",
            "sex_at_birth": "female",
        },
    )

    assert response.status_code == 403
    patient.refresh_from_db()
    assert patient.given_name == "Ada"


def test_it_refuses_a_weight_posted_to_the_measurement_history_form(client, make_user, make_patient):
    admin = make_user("Admin")
    patient = make_patient(admin)
    measurement = Measurement.objects.get(patient=patient)
    version = measurement.history.latest().history_id
    client.force_login(admin)
    events = AuditEvent.objects.count()

    response = client.post(
        f"/admin/patients/measurement/{measurement.pk}/history/{version}/",
        {"patient": patient.pk, "measured_at_0": "2026-01-01", "measured_at_1": "10:00", "weight_kg": "150"},
    )

    assert response.status_code == 403
    measurement.refresh_from_db()
    assert measurement.weight_kg != 150
    assert Patient.objects.get().pk == patient.pk and AuditEvent.objects.count() == events

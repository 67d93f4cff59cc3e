"""Patients, measurements and allergies are read-only in the admin: django-simple-history's revert form
would save a POST for anyone who may view the history; it is refused, and the record stays as it was."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ivig.accounts.models import User
from ivig.audit.models import AuditEvent
from ivig.patients.models import Measurement

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
    # A superuser may view every history (the probe's demo Admin was one); still no write through it.
    root = User.objects.create_superuser("root", password="correct-horse-battery")
    patient = make_patient(make_user("Nurse"))
    measurement = Measurement.objects.get(patient=patient)
    version = measurement.history.latest().history_id
    client.force_login(root)
    events = AuditEvent.objects.count()
    measured = timezone.localtime(measurement.measured_at)

    response = client.post(
        f"/admin/patients/measurement/{measurement.pk}/history/{version}/",
        {
            "patient": patient.pk,
            "measured_at_0": measured.strftime("%Y-%m-%d"),
            "measured_at_1": measured.strftime("%H:%M:%S"),
            "weight_kg": "150",
            "height_cm": str(measurement.height_cm),
            "recorded_by": measurement.recorded_by_id or "",
        },
    )

    assert response.status_code == 403
    measurement.refresh_from_db()
    assert measurement.weight_kg != 150
    assert AuditEvent.objects.count() == events

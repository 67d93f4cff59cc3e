"""Patient writes follow the role table (docs/getting-started.md): Prescriber, Nurse and Admin register and
edit; the Scheduler registers; the Pharmacist, Quality, Approver and the portal only read (issue 22)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ivig.accounts.roles import ADD_PATIENT, CHANGE_PATIENT
from ivig.patients.models import Patient

TABLE = {
    "Prescriber": {ADD_PATIENT, CHANGE_PATIENT},
    "Nurse": {ADD_PATIENT, CHANGE_PATIENT},
    "Admin": {ADD_PATIENT, CHANGE_PATIENT},
    "Scheduler": {ADD_PATIENT},
    "Pharmacist": set(),
    "Quality": set(),
    "Approver": set(),
    "Patient": set(),
}


@pytest.mark.parametrize(("role", "writes"), sorted(TABLE.items()))
def test_it_gives_each_role_the_patient_writes_of_the_table(make_user, role, writes):
    user = make_user(role)

    assert {perm for perm in (ADD_PATIENT, CHANGE_PATIENT) if user.has_perm(perm)} == writes


def test_it_refuses_a_pharmacists_patient_edit(client, make_user, make_patient):
    patient = make_patient(make_user("Nurse"))
    client.force_login(make_user("Pharmacist"))
    data = {
        "mrn": patient.mrn,
        "given_name": "Changed",
        "family_name": patient.family_name,
        "date_of_birth": patient.date_of_birth.isoformat(),
        "sex_at_birth": patient.sex_at_birth,
    }

    assert client.get(reverse("patients:edit", args=[patient.pk])).status_code == 403
    assert client.post(reverse("patients:edit", args=[patient.pk]), data).status_code == 403
    posted = client.post(reverse("patients:measurement_add", args=[patient.pk]), {"weight_kg": "70"})
    assert posted.status_code == 403
    assert Patient.objects.get(pk=patient.pk).given_name == patient.given_name

"""Weight and height are entered in kg or lb and cm or in, and stored in kg and cm."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from ivig.patients.models import Patient
from tests.integration.patients.test_patient_validation import VALID


def test_it_stores_pounds_and_inches_as_kg_and_cm(client, make_user):
    client.force_login(make_user("Nurse"))

    client.post(
        reverse("patients:create"),
        {**VALID, "weight": "154", "weight_unit": "lb", "height": "60", "height_unit": "in"},
    )

    patient = Patient.objects.get(mrn="NEW00001")
    assert patient.latest_weight().weight_kg == Decimal("69.85")  # 154 x 0.45359237
    assert patient.latest_height().height_cm == Decimal("152.4")  # 60 x 2.54


def test_it_accepts_a_preterm_infant(client, make_user):
    client.force_login(make_user("Nurse"))

    response = client.post(reverse("patients:create"), {**VALID, "weight": "0.45", "height": "28"})

    assert response.status_code == 302
    assert Patient.objects.get(mrn="NEW00001").latest_weight().weight_kg == Decimal("0.45")

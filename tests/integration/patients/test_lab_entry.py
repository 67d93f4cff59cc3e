"""Typed lab entry: one blood draw, each kind in its unit, stored in the kind's unit, audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ivig.audit.models import AuditEvent
from ivig.patients.models import LabResult


@pytest.fixture
def nurse_and_patient(make_user, make_patient):
    nurse = make_user("Nurse")
    return nurse, make_patient(nurse)


def _post(client, patient, **values):
    data = {
        "taken_on": timezone.localdate().isoformat(),
        "unit_igg": "g/L",
        "unit_platelets": "x10^9/L",
        "unit_creatinine": "umol/L",
        "unit_egfr": "mL/min/1.73 m2",
        "unit_haemoglobin": "g/L",
    }
    data.update(values)
    return client.post(reverse("patients:labs", args=[patient.pk]), data)


def test_it_stores_igg_entered_in_mg_per_dl_as_g_per_l(client, nurse_and_patient):
    nurse, patient = nurse_and_patient
    client.force_login(nurse)

    response = _post(
        client, patient, value_igg="690", unit_igg="mg/dL", value_creatinine="1.1", unit_creatinine="mg/dL"
    )

    assert response.status_code == 302
    igg = LabResult.objects.get(patient=patient, kind="igg")
    assert str(igg.value) == "6.90"
    assert str(LabResult.objects.get(patient=patient, kind="creatinine").value) == "97.24"
    event = AuditEvent.objects.get(action="lab.create", target_id=str(igg.pk))
    assert event.after["entered"] == "690 mg/dL" and event.actor_username == nurse.username


def test_it_refuses_an_implausible_value_or_a_future_date_and_stores_nothing(client, nurse_and_patient):
    nurse, patient = nurse_and_patient
    client.force_login(nurse)

    wrong_unit = _post(client, patient, value_igg="690", unit_igg="g/L", value_platelets="45")
    future = _post(
        client, patient, taken_on=(timezone.localdate() + timedelta(days=1)).isoformat(), value_igg="7"
    )
    empty = _post(client, patient)

    assert wrong_unit.status_code == 400 and "check the unit" in wrong_unit.content.decode()
    assert future.status_code == 400 and "in the future" in future.content.decode()
    assert empty.status_code == 400 and "at least one result" in empty.content.decode()
    assert not LabResult.objects.filter(patient=patient).exists()


def test_it_shows_trends_with_loinc_and_a_chart(client, nurse_and_patient):
    nurse, patient = nurse_and_patient
    client.force_login(nurse)
    today = timezone.localdate()
    _post(
        client,
        patient,
        taken_on=(today - timedelta(days=60)).isoformat(),
        value_igg="4.1",
        value_platelets="250",
    )
    _post(client, patient, taken_on=(today - timedelta(days=30)).isoformat(), value_igg="6.2")
    _post(client, patient, value_igg="7.0")

    html = client.get(reverse("patients:labs", args=[patient.pk])).content.decode()

    assert "LOINC 2465-3" in html
    assert 'id="chart-igg"' in html and html.count('class="chart-point"') == 3
    assert 'id="chart-platelets"' not in html  # one count: a value, not a trend
    assert "7.00 g/L" in html


@pytest.mark.parametrize(
    ("role", "get", "post"),
    [("Prescriber", 200, 302), ("Pharmacist", 200, 403), ("Quality", 200, 403), ("Scheduler", 403, 403)],
)
def test_it_lets_prescribers_and_nurses_enter_and_others_only_read(
    client, make_user, make_patient, role, get, post
):
    user = make_user(role)
    patient = make_patient(make_user("Nurse", username="registrar"))
    client.force_login(user)

    assert client.get(reverse("patients:labs", args=[patient.pk])).status_code == get
    assert _post(client, patient, value_igg="7").status_code == post

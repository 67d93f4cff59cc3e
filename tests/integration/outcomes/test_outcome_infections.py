"""Infection log and the SBI rate per patient-year on replacement therapy (FDA guidance: < 1 a year)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ivig.audit.models import AuditEvent
from ivig.outcomes.models import Infection


@pytest.fixture
def setup(client, make_user, make_pk_patient):
    prescriber = make_user("Prescriber")
    patient = make_pk_patient(prescriber, make_user("Pharmacist"))
    nurse = make_user("Nurse")
    client.force_login(nurse)
    return nurse, patient


def _infection(client, patient, days_ago, kind, sbi, antibiotic_days="7", hospital_days="0"):
    data = {
        "onset": (timezone.localdate() - timedelta(days=days_ago)).isoformat(),
        "kind": kind,
        "antibiotic_days": antibiotic_days,
        "hospital_days": hospital_days,
    }
    if sbi:
        data["serious_bacterial"] = "on"
    return client.post(reverse("outcomes:infection_add", args=[patient.pk]), data)


def test_it_counts_serious_bacterial_infections_per_patient_year(client, setup):
    nurse, patient = setup
    assert _infection(client, patient, 200, "Pneumonia", True, hospital_days="5").status_code == 302
    assert _infection(client, patient, 100, "Sinusitis", False).status_code == 302
    assert _infection(client, patient, 40, "Bacteraemia or sepsis", True, "14", "9").status_code == 302
    assert _infection(client, patient, 400, "Pneumonia", True).status_code == 302  # before therapy here

    response = client.get(reverse("outcomes:patient", args=[patient.pk]))

    rates = response.context["rates"]
    years = 365 / 365.25  # from the first dispensing, 364 days ago, to the end of today
    assert rates.overall.sbi_count == 2 and rates.overall.infection_count == 3
    assert rates.overall.sbi_per_patient_year == pytest.approx(2 / years, rel=1e-6)
    assert not rates.overall.meets_fda_sbi_target
    assert rates.last_year.hospital_days_per_patient_year == pytest.approx(14 / years, rel=1e-6)
    assert "not below 1 a year" in response.content.decode()
    event = AuditEvent.objects.filter(action="outcome.infection").first()
    assert event.actor_username == nurse.username and event.patient_mrn == patient.mrn


def test_it_refuses_future_onsets_and_impossible_days(client, setup):
    _nurse, patient = setup

    future = _infection(client, patient, -1, "Pneumonia", True)
    too_long = _infection(client, patient, 10, "Pneumonia", True, antibiotic_days="400")
    no_type = _infection(client, patient, 10, "", False)

    assert future.status_code == 400 and "cannot be in the future" in future.content.decode()
    assert too_long.status_code == 400 and no_type.status_code == 400
    assert not Infection.objects.exists()


def test_it_explains_that_rates_start_with_replacement_therapy(client, make_user, make_patient):
    nurse = make_user("Nurse")
    patient = make_patient(nurse)
    client.force_login(nurse)

    response = client.get(reverse("outcomes:patient", args=[patient.pk]))

    assert response.status_code == 200
    assert "No replacement therapy (PI or SID) dispensed here" in response.content.decode()

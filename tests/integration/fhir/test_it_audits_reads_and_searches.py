"""Every read and search of the FHIR API is in the audit trail: who (the user and the token), what (read or
search, the type, the ids returned, the query) and which patients, one row per patient in the page, so the
patient's audit page shows who looked at their record (issue 18: reads and searches were not audited)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ivig.audit.models import AuditEvent
from ivig.patients.models import Patient

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic(make_user, make_token, make_patient):
    nurse = make_user("Nurse")
    ada = make_patient(nurse, mrn="AUD00001", given_name="Ada")
    bob = make_patient(nurse, mrn="AUD00002", given_name="Bob")
    reader = make_user("Admin", username="ehr-reader")
    return {"ada": ada, "bob": bob, "reader": reader, "token": make_token(reader, name="EHR interface")}


def _access():
    return AuditEvent.objects.filter(action__startswith="fhir.").exclude(action="fhir.token_create")


def test_it_records_a_read_with_who_what_and_the_patient(fhir, clinic):
    ada = clinic["ada"]

    assert fhir(f"Patient/{ada.pk}", clinic["token"]).status_code == 200

    event = _access().get()
    assert event.action == "fhir.read"
    assert (event.actor_id, event.actor_username) == (clinic["reader"].pk, "ehr-reader")
    assert (event.patient_id, event.patient_mrn) == (ada.pk, "AUD00001")
    assert (event.target_type, event.target_id) == ("fhir:Patient", str(ada.pk))
    assert event.after["interaction"] == "read"
    assert event.after["ids"] == [str(ada.pk)]
    assert event.after["token_name"] == "EHR interface"
    assert "EHR interface" in event.summary


def test_it_records_one_row_per_patient_a_search_returned(fhir, clinic):
    ada, bob = clinic["ada"], clinic["bob"]

    bundle = fhir("Observation", clinic["token"], patient=f"{ada.pk},{bob.pk}", _count="50").data

    rows = {event.patient_mrn: event for event in _access()}
    assert set(rows) == {"AUD00001", "AUD00002"}
    for mrn, patient in (("AUD00001", ada), ("AUD00002", bob)):
        event = rows[mrn]
        assert event.action == "fhir.search" and event.patient_id == patient.pk
        mine = [
            e["resource"]["id"]
            for e in bundle["entry"]
            if e["resource"]["subject"]["reference"] == f"Patient/{patient.pk}"
        ]
        assert sorted(event.after["ids"]) == sorted(mine) and mine
        assert event.after["query"] == f"patient={ada.pk},{bob.pk}"
        assert event.after["request"].startswith("/fhir/Observation?")
        assert event.after["total"] == bundle["total"]


def test_it_records_a_search_that_found_no_patient(fhir, clinic):
    assert fhir("Observation", clinic["token"], date="1900-01-01").data["total"] == 0

    event = _access().get()
    assert event.action == "fhir.search"
    assert event.patient_id is None and event.after["ids"] == []
    assert event.after["query"] == "date=1900-01-01"


def test_it_records_nothing_for_a_refused_request(fhir, clinic):
    assert fhir("Observation", clinic["token"], colour="blue").status_code == 400
    assert fhir("Patient/999999", clinic["token"]).status_code == 404

    assert not _access().exists()


def test_it_shows_who_looked_at_a_record_on_the_patients_audit_page(client, fhir, clinic, make_user):
    fhir(f"Patient/{clinic['ada'].pk}", clinic["token"])
    client.force_login(make_user("Quality"))

    html = client.get(reverse("audit:list"), {"patient": "AUD00001"}).content.decode()

    assert "Record read through the FHIR API" in html
    assert "ehr-reader" in html


def _bulk_patients(count):
    Patient.objects.bulk_create(
        Patient(
            mrn=f"BLK{n:05d}",
            given_name="Bulk",
            family_name=f"Patient{n}",
            date_of_birth=date(1990, 1, 1),
            sex_at_birth="female",
        )
        for n in range(count)
    )


def test_it_records_a_500_resource_page_in_a_constant_number_of_queries(fhir, clinic):
    _bulk_patients(520)
    fhir("Patient", clinic["token"], _count="1")  # the token's first use notes its last_used_at

    with CaptureQueriesContext(connection) as small:
        fhir("Patient", clinic["token"], _count="5")
    with CaptureQueriesContext(connection) as large:
        assert len(fhir("Patient", clinic["token"], _count="500").data["entry"]) == 500

    audit_insert = 'INSERT INTO "audit_auditevent"'
    inserts = [q["sql"] for q in large.captured_queries if q["sql"].startswith(audit_insert)]
    # One bulk insert for the 500 rows; SQLite (tests only) takes Django's batches of 999 parameters.
    rows_per_insert = len(inserts[0].split("), (")) if inserts else 0
    assert len(inserts) == 1 or (connection.vendor == "sqlite" and rows_per_insert == 999 // 11)
    others = [q for q in large.captured_queries if not q["sql"].startswith(audit_insert)]
    assert len(others) == len(small.captured_queries) - 1  # the small page's one insert
    assert _access().filter(action="fhir.search", after__returned=500).count() == 500

"""A portal user's token reads only the patients the account is linked to, whatever the request asks."""

from __future__ import annotations

import json

import pytest

from ivig.fhir import export
from ivig.fhir.models import ExportJob
from tests.factories.portal import PortalLinkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(clinic, make_user, make_token):
    """A parent linked to the clinic's main patient (who has the dispensed order), not to the other one."""
    parent = make_user("Patient", username="parent")
    PortalLinkFactory(user=parent, patient=clinic["patient"])
    return {"token": make_token(parent), "mine": clinic["patient"], "theirs": clinic["other"]}


def _ids(bundle):
    return {entry["resource"]["id"] for entry in bundle.get("entry", [])}


def test_it_shows_a_patient_token_only_its_own_patients(fhir, family):
    bundle = fhir("Patient", family["token"]).data

    assert _ids(bundle) == {str(family["mine"].pk)}
    assert bundle["total"] == 1


def test_it_hides_other_patients_even_when_asked_for_them(fhir, family):
    theirs = family["theirs"].pk

    assert fhir(f"Patient/{theirs}", family["token"]).status_code == 404
    assert fhir("MedicationRequest", family["token"], patient=str(theirs)).data["total"] == 0
    assert fhir("Patient", family["token"], _id=str(theirs)).data["total"] == 0


def test_it_shows_a_patient_their_own_orders_dispensings_and_lots(fhir, family, clinic):
    requests = fhir("MedicationRequest", family["token"], _count="50").data
    subjects = {entry["resource"]["subject"]["reference"] for entry in requests["entry"]}
    lots = fhir("Medication", family["token"]).data
    dispensed = {str(d.lot_id) for d in clinic["dispensed"].dispensed_lots.all()}

    assert subjects == {f"Patient/{family['mine'].pk}"}
    assert requests["total"] == 8
    assert _ids(lots) == dispensed
    assert fhir("MedicationDispense", family["token"]).data["total"] == 2


def test_it_exports_only_the_patients_own_resources(client, fhir, family):
    assert fhir("$export", family["token"]).status_code == 202
    job = ExportJob.objects.get()
    assert set(job.types) >= {"Patient", "Medication", "MedicationRequest", "MedicationDispense"}
    assert "Group" not in job.types  # a care site's patients are not the portal user's to see

    # What the worker writes (test_it_runs_bulk_data_export_step_by_step runs it), read in this transaction.
    lines = b"".join(export.ndjson("Patient", job.user)).decode().splitlines()

    assert [json.loads(line)["id"] for line in lines] == [str(family["mine"].pk)]


def test_it_shows_a_portal_account_with_no_links_nothing(fhir, make_user, make_token, clinic):
    secret = make_token(make_user("Patient", username="stranger"))

    assert fhir("Patient", secret).data["total"] == 0
    assert fhir("MedicationRequest", secret).data["total"] == 0

"""Patient- and Group-level Bulk Data export: the patient compartment (types whose rows belong to patients)
of every patient the user may read, or of one Group's members (a care site's patients); `_typeFilter` narrows
a type with its own search parameters; a large type is split into several files."""

from __future__ import annotations

import pytest

from ivig.fhir import bulk_run
from ivig.fhir.models import ExportJob
from ivig.patients.models import Patient
from tests.factories.patients import CareSiteFactory

from .bulk_flow import download, kick_off, poll, run_worker

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def export_dir(settings, tmp_path):
    settings.IVIG_BULK_EXPORT_DIR = tmp_path / "exports"


def _files(client, token, kicked):
    manifest = poll(client, token, kicked["Content-Location"]).data
    found: dict[str, list] = {}
    for item in manifest["output"]:
        found.setdefault(item["type"], []).append(download(client, token, item["url"]))
    return found


def _ids(files):
    return {resource["id"] for file in files for resource in file}


def _subjects(files):
    return {resource["subject"]["reference"] for file in files for resource in file}


def test_it_exports_the_compartments_of_all_patients_or_of_a_group(
    client, make_user, make_patient, make_token, monkeypatch
):
    admin = make_user("Admin")
    token = make_token(admin)
    centre, home = CareSiteFactory(name="Centre"), CareSiteFactory(name="Home team")
    ada = make_patient(admin, mrn="G1", sex_at_birth="female")
    bob = make_patient(admin, mrn="G2", given_name="Bob", sex_at_birth="male")
    cy = make_patient(admin, mrn="G3", given_name="Cy", sex_at_birth="male")
    Patient.objects.filter(pk__in=[ada.pk, bob.pk]).update(care_site=centre)
    Patient.objects.filter(pk=cy.pk).update(care_site=home)
    monkeypatch.setattr(bulk_run, "FILE_LINES", 1)

    everyone = kick_off(client, token, "Patient/$export")
    group = kick_off(client, token, f"Group/{centre.pk}/$export")
    filtered = kick_off(
        client,
        token,
        f"Group/{centre.pk}/$export",
        _type="Patient,Observation",
        _typeFilter="Patient?gender=male",
    )
    assert [r.status_code for r in (everyone, group, filtered)] == [202, 202, 202]
    assert ExportJob.objects.filter(level="group", group_id=str(centre.pk)).count() == 2
    run_worker()

    all_patients = _files(client, token, everyone)
    assert "Group" not in all_patients and "Schedule" not in all_patients  # outside the compartment
    assert _ids(all_patients["Patient"]) == {str(ada.pk), str(bob.pk), str(cy.pk)}
    assert len(all_patients["Patient"]) == 3  # FILE_LINES = 1: one file per patient
    centre_only = _files(client, token, group)
    assert _ids(centre_only["Patient"]) == {str(ada.pk), str(bob.pk)}
    assert _subjects(centre_only["Observation"]) == {f"Patient/{ada.pk}", f"Patient/{bob.pk}"}
    males = _files(client, token, filtered)
    assert _ids(males["Patient"]) == {str(bob.pk)}
    assert set(males) == {"Patient", "Observation"}
    assert _subjects(males["Observation"]) == {f"Patient/{ada.pk}", f"Patient/{bob.pk}"}  # not filtered


def test_it_answers_404_for_an_unknown_group(client, make_user, make_token):
    token = make_token(make_user("Admin"))

    assert kick_off(client, token, "Group/999999/$export").status_code == 404
    assert kick_off(client, token, "Group/not-a-number/$export").status_code == 404

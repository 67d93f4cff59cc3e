"""Issue 18: ifNoneExist was ignored. Conditional create (FHIR R4 http.html#ccreate) on Patient entries: no
match creates; one match creates nothing and answers 200 OK with the existing patient (whom the entry's
fullUrl then names); several matches fail the whole bundle with 412 Precondition Failed."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from ivig.fhir.importing import import_bundle
from ivig.patients.models import LabResult, Patient
from tests.factories.patients import IdentifierSystemFactory
from tests.integration.fhir_resources.bundles import OTHER, OURS, bundle, lab, patient, ref

pytestmark = pytest.mark.django_db


def conditional(entry, condition):
    entry["request"]["ifNoneExist"] = condition
    return entry


def test_no_match_creates_the_patient(make_user):
    sent = conditional(patient("RB500001"), f"identifier={OURS}|RB500001")

    result = import_bundle(bundle=bundle(sent), by=make_user("Nurse"))

    assert result.ok, result.resource
    assert result.resource["entry"][0]["response"]["status"] == "201 Created"
    assert Patient.objects.filter(mrn="RB500001").exists()


def test_one_match_creates_nothing_and_files_the_bundles_results_under_that_patient(make_user, make_patient):
    nurse = make_user("Nurse")
    known = make_patient(nurse, mrn="RB500002")
    mia = conditional(patient("RB500002"), f"identifier={OURS}|rb500002")

    result = import_bundle(bundle=bundle(mia, lab(ref(mia))), by=nurse)

    assert result.ok, result.resource
    first, second = (entry["response"] for entry in result.resource["entry"])
    assert first == {"status": "200 OK", "location": f"Patient/{known.pk}"}
    assert second["status"] == "201 Created"
    assert Patient.objects.count() == 1
    assert LabResult.objects.get().patient == known
    assert (result.patients_created, result.patients_already_on_file) == (0, 1)


def test_a_match_whose_mrn_is_not_the_entrys_is_refused(make_user, make_patient):
    nurse = make_user("Nurse")
    make_patient(nurse, mrn="RB500003")
    mia = conditional(patient("RB500004"), f"identifier={OURS}|RB500003")

    result = import_bundle(bundle=bundle(mia, lab(ref(mia))), by=nurse)

    assert result.status_code == 422
    first, second = result.resource["issue"]
    assert first["code"] == "conflict" and first["expression"] == ["Bundle.entry[0].request.ifNoneExist"]
    assert "entry 0" in second["diagnostics"]
    assert Patient.objects.count() == 1 and LabResult.objects.count() == 0


def test_several_matches_fail_the_whole_bundle_with_412(make_user, make_patient):
    nurse = make_user("Nurse")
    IdentifierSystemFactory()
    assert import_bundle(
        bundle=bundle(patient("RB500005", also=[{"system": OTHER, "value": "H-5"}])), by=nurse
    ).ok
    make_patient(nurse, mrn="RB500006")
    mia = conditional(patient("RB500006"), f"identifier={OURS}|RB500006,{OTHER}|H-5")
    leo = patient("RB500007", given="Leo")

    result = import_bundle(bundle=bundle(leo, mia, lab(ref(leo))), by=nurse)

    assert result.status_code == 412
    (issue,) = result.resource["issue"]
    assert issue["code"] == "multiple-matches" and issue["expression"] == [
        "Bundle.entry[1].request.ifNoneExist"
    ]
    assert Patient.objects.count() == 2 and LabResult.objects.count() == 0


def test_the_api_answers_412(make_user, make_patient, make_token):
    nurse = make_user("Nurse")
    IdentifierSystemFactory()
    assert import_bundle(
        bundle=bundle(patient("RB500008", also=[{"system": OTHER, "value": "H-8"}])), by=nurse
    ).ok
    make_patient(nurse, mrn="RB500009")
    sent = bundle(conditional(patient("RB500009"), f"identifier={OURS}|RB500009,{OTHER}|H-8"))

    response = Client().post(
        "/fhir/",
        json.dumps(sent),
        content_type="application/fhir+json",
        HTTP_AUTHORIZATION=f"Bearer {make_token(nurse)}",
    )

    assert response.status_code == 412
    assert json.loads(response.content)["issue"][0]["code"] == "multiple-matches"


@pytest.mark.parametrize(
    ("condition", "says"),
    [
        ("name=Ng", "only identifier=system|value"),
        (f"identifier={OURS}|RB1&birthdate=2015-04-02", "only identifier=system|value"),
        ("identifier=RB500010", "Give the identifier's system"),
        ("identifier=http://elsewhere.example/mrn|RB500010", "http://elsewhere.example/mrn is unknown"),
    ],
)
def test_it_refuses_conditions_it_cannot_use_safely(make_user, condition, says):
    result = import_bundle(bundle=bundle(conditional(patient("RB500010"), condition)), by=make_user("Nurse"))

    assert result.status_code == 422
    (issue,) = result.resource["issue"]
    assert says in issue["diagnostics"] and issue["expression"] == ["Bundle.entry[0].request.ifNoneExist"]
    assert Patient.objects.count() == 0


def test_it_refuses_if_none_exist_on_a_lab_result(make_user, make_patient):
    nurse = make_user("Nurse")
    known = make_patient(nurse, mrn="RB500011")
    result_entry = conditional(lab({"reference": f"Patient/{known.pk}"}), "code=2465-3")

    result = import_bundle(bundle=bundle(result_entry), by=nurse)

    assert result.status_code == 422 and result.resource["issue"][0]["code"] == "not-supported"
    assert LabResult.objects.count() == 0

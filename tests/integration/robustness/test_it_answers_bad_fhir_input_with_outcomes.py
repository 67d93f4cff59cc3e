"""The FHIR API answers input it cannot take with a 400 OperationOutcome, never a 500: a value of 1e30, JSON
nested 100,000 deep (json.loads' RecursionError), NUL characters (PostgreSQL refuses them in text)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from ivig.patients.models import LabResult, Patient
from tests.integration.fhir_resources.bundles import bundle, lab, patient, ref

pytestmark = pytest.mark.django_db


def _post(body, token):
    text = body if isinstance(body, str) else json.dumps(body)
    return Client().post(
        "/fhir/", text, content_type="application/fhir+json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def _is_outcome(response, status=400):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/fhir+json")
    data = json.loads(response.content)
    assert data["resourceType"] == "OperationOutcome"
    return " ".join(issue.get("diagnostics", "") for issue in data["issue"])


def _huge(entry, value=1e30):
    entry["resource"]["valueQuantity"]["value"] = value
    return entry


def _nul_mrn(entry):
    entry["resource"]["identifier"][1]["value"] = "RB\x00001"
    return entry


def _nul_name(entry):
    entry["resource"]["name"][0]["family"] = "Ng\x00"
    return entry


@pytest.mark.parametrize(
    "build",
    [
        lambda: bundle(mia := patient("ROB001"), _huge(lab(ref(mia)))),
        lambda: bundle(mia := patient("ROB001"), _huge(lab(ref(mia), code="777-3", unit="10*9/L"))),
        lambda: bundle(mia := patient("ROB001"), _huge(lab(ref(mia)), -1e30)),
        lambda: json.dumps(bundle(mia := patient("ROB001"), lab(ref(mia)))).replace("690", "1e400"),
        lambda: bundle(_nul_mrn(patient("ROB001"))),
        lambda: bundle(_nul_name(patient("ROB001"))),
    ],
    ids=["igg-1e30", "platelets-1e30", "minus-1e30", "1e400", "nul-in-mrn", "nul-in-name"],
)
def test_it_refuses_an_entry_it_cannot_store(make_user, make_token, build):
    token = make_token(make_user("Nurse"))

    response = _post(build(), token)

    assert response.status_code in (400, 422)
    _is_outcome(response, response.status_code)
    assert (Patient.objects.count(), LabResult.objects.count()) == (0, 0)


def test_it_refuses_json_nested_too_deep(make_user, make_token):
    token = make_token(make_user("Nurse"))
    depth = 100_000

    message = _is_outcome(_post("[" * depth + "]" * depth, token))

    assert "nested too deep" in message


@pytest.mark.parametrize(
    "params",
    [
        {"identifier": "urn:ivig:mrn|RB\x00001"},
        {"identifier": "\x00"},
        {"_id": "1\x00"},
        {"gender": "female\x00"},
        {"birthdate\x00": "2015-04-02"},
    ],
    ids=["identifier", "identifier-nul-only", "id", "gender", "parameter-name"],
)
def test_it_refuses_a_nul_in_a_search(fhir, make_user, make_token, params):
    token = make_token(make_user("Nurse"))

    response = fhir("Patient", token, **params)

    assert "NUL" in _is_outcome(response)


@pytest.mark.parametrize("path", ["Patient/1\x00", "Observation/\x00"])
def test_it_refuses_a_nul_in_a_read(fhir, make_user, make_token, path):
    token = make_token(make_user("Nurse"))

    assert "NUL" in _is_outcome(fhir(path, token))

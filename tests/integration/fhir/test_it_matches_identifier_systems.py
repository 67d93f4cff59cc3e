"""`identifier=system|value` must match the system as well as the value, and `identifier=|value` means an
identifier with no system: another hospital's RB100001 is not our patient RB100001 (issue 18).

Every Patient identifier we serve is the MRN in the site's MRN system (FHIR_MRN_SYSTEM)."""

from __future__ import annotations

import pytest

from ivig.fhir.codes import mrn_system

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(make_user, make_token, make_patient):
    make_patient(make_user("Nurse"), mrn="RB100001")
    return make_token(make_user("Admin"))


@pytest.mark.parametrize(
    ("value", "total"),
    [
        ("RB100001", 1),  # any system
        (f"{mrn_system()}|RB100001", 1),
        ("http://other-hospital.example/mrn|RB100001", 0),
        ("|RB100001", 0),  # no system: ours has one
        ("http://other-hospital.example/mrn|RB100001,RB100001", 1),  # a comma means "or"
        ("RB100002", 0),
    ],
)
def test_it_matches_the_identifier_system(fhir, token, value, total):
    response = fhir("Patient", token, identifier=value)

    assert response.status_code == 200
    assert response.data["total"] == total


def test_it_refuses_an_identifier_without_a_value(fhir, token):
    response = fhir("Patient", token, identifier=f"{mrn_system()}|")

    assert response.status_code == 400
    assert "identifier needs a value" in response.data["issue"][0]["diagnostics"]

"""An unknown search parameter is refused, naming it (a misspelt filter silently dropped would return more
than the client asked for); with `Prefer: handling=lenient` it is ignored and left out of the self link."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlparse

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(make_user, make_token, make_patient):
    nurse = make_user("Nurse")
    make_patient(nurse, mrn="LEN00001", sex_at_birth="female")
    make_patient(nurse, mrn="LEN00002", sex_at_birth="male")
    return make_token(make_user("Admin"))


def _get(client, token, prefer=None, **params):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if prefer is not None:
        headers["HTTP_PREFER"] = prefer
    response = client.get("/fhir/Patient", params, **headers)
    return response.status_code, json.loads(response.content)


def _self(bundle):
    url = next(link["url"] for link in bundle["link"] if link["relation"] == "self")
    return parse_qs(urlparse(url).query)


@pytest.mark.parametrize("prefer", [None, "handling=strict", "return=minimal"])
def test_it_refuses_an_unknown_parameter_by_default_and_when_strict(client, token, prefer):
    status, outcome = _get(client, token, prefer, gendre="female")

    assert status == 400
    assert "no search parameter 'gendre'" in outcome["issue"][0]["diagnostics"]


@pytest.mark.parametrize("prefer", ["handling=lenient", "return=representation, handling=lenient"])
def test_it_ignores_an_unknown_parameter_when_lenient(client, token, prefer):
    status, bundle = _get(client, token, prefer, gendre="female", gender="male", _count="5")

    assert status == 200
    assert bundle["total"] == 1  # gender=male applied, gendre ignored
    assert _self(bundle) == {"gender": ["male"], "_count": ["5"], "_offset": ["0"]}


def test_it_ignores_an_unsupported_modifier_when_lenient_and_still_refuses_bad_values(client, token):
    status, bundle = _get(client, token, "handling=lenient", **{"gender:not": "male"})
    assert status == 200 and bundle["total"] == 2
    assert "gender:not" not in _self(bundle)

    status, outcome = _get(client, token, "handling=lenient", birthdate="yesterday")
    assert status == 400 and "not a FHIR date" in outcome["issue"][0]["diagnostics"]

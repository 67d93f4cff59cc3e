"""Paths under /fhir/ that the API does not serve answer a FHIR OperationOutcome, not Django's HTML page:
404 for an unknown path, 405 for a method the path does not offer."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["Patient/1/_history", "nonsense/a/b", "Patient/1/2/3/4", "$export/x/y"])
def test_it_answers_404_outcomes_for_unknown_paths(client, path):
    response = client.get(f"/fhir/{path}")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/fhir+json")
    outcome = json.loads(response.content)
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["code"] == "not-found"
    assert path in outcome["issue"][0]["diagnostics"]


def test_it_answers_404_for_a_post_to_an_unknown_path(client):
    response = client.post("/fhir/nonsense/a/b", "{}", content_type="application/fhir+json")

    assert response.status_code == 404
    assert json.loads(response.content)["resourceType"] == "OperationOutcome"


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [("delete", "Patient/1", "GET"), ("put", "metadata", "GET"), ("get", "", "POST")],
)
def test_it_answers_405_outcomes_for_wrong_methods(client, method, path, allowed):
    response = getattr(client, method)(f"/fhir/{path}")

    assert response.status_code == 405
    assert allowed in response["Allow"]
    outcome = json.loads(response.content)
    assert outcome["resourceType"] == "OperationOutcome"
    assert allowed in outcome["issue"][0]["diagnostics"]

"""Every resource carries meta.lastUpdated, and `_lastUpdated` searches by it on every type (issue 18)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from ivig.demo.load import load_demo
from ivig.fhir import definitions, registry
from tests.integration.fhir_resources.served import served


def test_it_stamps_every_resource_of_every_type_with_last_updated(db):
    load_demo()
    missing = [
        f"{resource['resourceType']}/{resource['id']}"
        for resource_type in registry.resource_types()
        for resource in served(resource_type)
        if not (resource.get("meta") or {}).get("lastUpdated")
    ]
    assert missing == []


def test_it_offers_last_updated_as_a_date_parameter_of_every_type(db, fhir):
    statement = fhir("metadata").data
    for resource in statement["rest"][0]["resource"]:
        if resource["type"] in definitions.DEFINITION_TYPES:
            continue  # the static definitions we cite (ivig.fhir.definitions) change only with a release
        params = {param["name"]: param["type"] for param in resource["searchParam"]}
        assert params.get("_lastUpdated") == "date", resource["type"]


def test_it_finds_resources_changed_since_a_moment(db, fhir, make_user, make_patient, make_token):
    admin = make_user("Admin")
    token = make_token(admin)
    patient = make_patient(admin)
    before = (timezone.now() - timedelta(minutes=1)).isoformat()
    after = (timezone.now() + timedelta(minutes=1)).isoformat()

    recent = fhir("Patient", token, _lastUpdated=f"ge{before}")
    later = fhir("Patient", token, _lastUpdated=f"gt{after}")
    # Observation has several sources (vital signs, weights, labs): each filters on its own rows.
    weights = fhir("Observation", token, _lastUpdated=f"ge{before}", patient=str(patient.pk))

    assert recent.status_code == 200, recent.content
    assert [entry["resource"]["id"] for entry in recent.data["entry"]] == [str(patient.pk)]
    assert later.data["total"] == 0
    assert weights.status_code == 200, weights.content
    assert weights.data["total"] == 2  # the weight and the height the patient was made with
    stamp = recent.data["entry"][0]["resource"]["meta"]["lastUpdated"]
    assert before <= stamp <= after

"""`_id` finds a resource on every type, including types served from several sources (Observation: vital
signs, weights, labs; MedicationAdministration: infusions and rate segments), where an id of one source
simply matches nothing in the others (issue 18: `_id=lab-5` on Observation answered 400)."""

from __future__ import annotations

import pytest

from ivig.demo.load import load_demo
from ivig.fhir import registry

pytestmark = pytest.mark.django_db


def _ids(bundle):
    return [entry["resource"]["id"] for entry in bundle.get("entry", [])]


@pytest.fixture
def bare_token(make_user, make_token):
    return make_token(make_user("Admin", username="id-admin"))


@pytest.fixture
def token(bare_token):
    load_demo()
    return bare_token


def test_it_finds_one_resource_of_each_source_of_each_type_by_id(fhir, token):
    multi_source = [t for t in registry.resource_types() if len(registry.sources(t)) > 1]
    assert {"Observation", "MedicationAdministration"} <= set(multi_source)
    for resource_type in registry.resource_types():
        every = fhir(resource_type, token, _count="500").data
        assert every["total"] > 0, resource_type
        # One id per source (the prefix before the last "-" tells the sources apart).
        by_source: dict[str, str] = {}
        for resource_id in _ids(every):
            by_source.setdefault(resource_id.rpartition("-")[0], resource_id)
        for resource_id in by_source.values():
            found = fhir(resource_type, token, _id=resource_id)
            assert found.status_code == 200, (resource_type, resource_id, found.data)
            assert _ids(found.data) == [resource_id], (resource_type, resource_id)
        if len(by_source) > 1:
            both = sorted(by_source.values())[:2]
            found = fhir(resource_type, token, _id=",".join(both))
            assert sorted(_ids(found.data)) == both, resource_type


def test_it_matches_nothing_for_an_id_no_source_has(fhir, bare_token):
    token = bare_token
    for resource_type, value in [
        ("Observation", "lab-999999999"),
        ("Observation", "wt-999999999"),
        ("Observation", "no-such-source-1"),
        ("MedicationAdministration", "seg-999999999"),
        ("Patient", "lab-1"),  # an Observation's id, not a Patient's
        ("Patient", "abc"),
    ]:
        response = fhir(resource_type, token, _id=value)
        assert response.status_code == 200, (resource_type, value, response.data)
        assert response.data["total"] == 0


def test_it_finds_a_lab_result_and_an_infusion_by_their_prefixed_ids(fhir, token):
    lab = next(
        i for i in _ids(fhir("Observation", token, category="laboratory").data) if i.startswith("lab-")
    )
    infusions = _ids(fhir("MedicationAdministration", token, _count="500").data)
    infusion = next(i for i in infusions if i.startswith("inf-"))
    segment = next(i for i in infusions if i.startswith("seg-"))

    assert _ids(fhir("Observation", token, _id=lab).data) == [lab]
    assert _ids(fhir("Observation", token, _id=f"Observation/{lab}").data) == [lab]
    assert sorted(_ids(fhir("MedicationAdministration", token, _id=f"{infusion},{segment}").data)) == sorted(
        [infusion, segment]
    )


@pytest.mark.parametrize("value", ["lab 5", "x" * 65, "Patient/1", "lab-1,,lab-2"])
def test_it_refuses_what_is_no_fhir_id(fhir, bare_token, value):
    response = fhir("Observation", bare_token, _id=value)

    assert response.status_code == 400
    assert response.data["resourceType"] == "OperationOutcome"

"""The CapabilityStatement declares each search parameter with R4's name and type, and the search behaves as
declared: a date parameter takes dates, a reference `Type/id` and `id`, a token its codes. A parameter R4
does not define for the type has a definition that resolves (issue 18: `authored` and `start` were declared
token but took dates; `actor`, `slot`, `schedule`, `substance` are references; Medication's `lot` is R4's
`lot-number`)."""

from __future__ import annotations

import pytest

from ivig.fhir import definitions, registry
from ivig.fhir.query import common_filters
from ivig.fhir.search import Param

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(make_user, make_token):
    return make_token(make_user("Admin"))


@pytest.fixture
def declared(fhir):
    statement = fhir("metadata").data
    return {
        resource["type"]: {param["name"]: param for param in resource["searchParam"]}
        for resource in statement["rest"][0]["resource"]
    }


def _filter(resource_type, name):
    for source in registry.sources(resource_type):
        filters = common_filters(source)
        if name in filters:
            return filters[name]
    raise AssertionError(f"{resource_type} has no filter {name}")


def test_it_declares_the_types_r4_gives_these_parameters(declared):
    assert declared["QuestionnaireResponse"]["authored"]["type"] == "date"
    assert declared["Slot"]["start"]["type"] == "date"
    for resource_type, name in [
        ("Appointment", "actor"),
        ("Appointment", "slot"),
        ("Slot", "schedule"),
        ("AdverseEvent", "substance"),
    ]:
        assert declared[resource_type][name]["type"] == "reference", (resource_type, name)
    assert "lot-number" in declared["Medication"] and "lot" not in declared["Medication"]
    assert declared["MedicationRequest"]["authoredon"]["type"] == "date"
    assert declared["MedicationDispense"]["whenhandedover"]["type"] == "date"
    assert declared["Patient"]["identifier"]["type"] == "token"
    assert declared["Patient"]["birthdate"]["type"] == "date"
    assert declared["AdverseEvent"]["seriousness"]["type"] == "token"


def test_it_uses_r4_names_and_types_or_defines_its_own_parameters(declared, client):
    for resource_type in registry.resource_types():
        r4 = definitions.R4_SEARCH_PARAMETERS[resource_type]
        for name, param in declared[resource_type].items():
            standard = definitions.COMMON_PARAMETERS.get(name) or r4.get(name)
            if standard:
                assert param["type"] == standard, (resource_type, name)
                assert "definition" not in param, (resource_type, name)
                continue
            assert "definition" in param, f"{resource_type}?{name} is not R4's and has no definition"
            response = client.get(param["definition"])
            assert response.status_code == 200, param["definition"]
            resource = response.json()
            assert resource["resourceType"] == "SearchParameter"
            assert resource["url"] == param["definition"]
            assert (resource["code"], resource["type"], resource["base"]) == (
                name,
                param["type"],
                [resource_type],
            )


def test_it_types_every_filter_so_the_statement_follows_the_search():
    for source in registry.all_sources():
        for name, search_filter in common_filters(source).items():
            assert isinstance(search_filter, Param), (source.resource_type, name)


def _values_of_type(resource_type, name, param_type):
    """Values a parameter of this FHIR type must take (each a request that works)."""
    search_filter = _filter(resource_type, name)
    if param_type == "date":
        return ["2026-03-01", "ge2026-03-01T10:00:00Z", "lt2026-03"]
    if param_type == "reference":
        return [f"{search_filter.targets[0]}/1", "1"]
    if param_type == "token":
        example = search_filter.example
        assert example, (resource_type, name)
        return [example, f"{example},{example}"]
    raise AssertionError(f"{resource_type}?{name} has type {param_type}: add values for it")


def test_it_answers_a_value_of_each_declared_type(fhir, token, declared):
    for resource_type in registry.resource_types():
        for name, param in declared[resource_type].items():
            for value in _values_of_type(resource_type, name, param["type"]):
                response = fhir(resource_type, token, **{name: value})
                assert response.status_code == 200, (resource_type, name, value, response.data)
            if param["type"] == "date":
                refused = fhir(resource_type, token, **{name: "Patient/1"})
                assert refused.status_code == 400, (resource_type, name)
            if param["type"] == "reference":
                refused = fhir(resource_type, token, **{name: "ClinicalImpression/1"})
                assert refused.status_code == 400, (resource_type, name)


def test_it_finds_what_a_reference_names_whether_typed_or_bare(fhir, token, make_user, make_patient):
    patient = make_patient(make_user("Nurse"), mrn="REF00001")

    for value in (str(patient.pk), f"Patient/{patient.pk}", f"http://testserver/fhir/Patient/{patient.pk}"):
        assert fhir("Observation", token, subject=value).data["total"] == 2  # weight and height
    # An R4 subject type we do not serve matches nothing instead of being refused.
    assert fhir("Observation", token, subject=f"Group/{patient.pk}").data["total"] == 0

"""Every resource the API serves validates with fhir.resources R4B and fhirclient's strict R4 models,
whatever state its order is in; so do the CapabilityStatement, search Bundles and OperationOutcomes."""

from __future__ import annotations

import json

import pytest

from ivig.fhir import export, registry
from ivig.fhir.tokens import token_for_secret
from tests.fhir_validation import validate_r4

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_token(make_user, make_token):
    return make_token(make_user("Admin"))


def _export(client, token, resource_type):
    """The type's resources as the bulk export writes them (the worker's files: ivig.fhir.export)."""
    body = b"".join(export.ndjson(resource_type, token_for_secret(token).user)).decode()
    return [json.loads(line) for line in body.splitlines()]


def test_it_exports_only_valid_resources_for_orders_in_every_state(client, clinic, admin_token):
    counts = {}
    for resource_type in ("Patient", "Medication", "MedicationRequest", "MedicationDispense"):
        resources = _export(client, admin_token, resource_type)
        for resource in resources:
            assert resource["resourceType"] == resource_type
            validate_r4(resource)
        counts[resource_type] = len(resources)

    assert counts == {"Patient": 2, "Medication": 2, "MedicationRequest": 9, "MedicationDispense": 2}


def test_it_validates_every_registered_type_it_exports(client, clinic, admin_token):
    for resource_type in registry.resource_types():
        for resource in _export(client, admin_token, resource_type):
            validate_r4(resource)


def test_it_maps_the_order_states_and_pharmacy_choice(client, clinic, admin_token, fhir):
    by_id = {r["id"]: r for r in _export(client, admin_token, "MedicationRequest")}
    dispensed, signed, draft, cancelled, chooses, sc, revised, awaiting, refused = clinic["orders"]

    assert by_id[str(draft.pk)]["status"] == "draft"
    assert by_id[str(cancelled.pk)]["status"] == "cancelled"
    assert by_id[str(cancelled.pk)]["note"] == [{"text": "Cancelled: Platelets recovered"}]
    assert by_id[str(dispensed.pk)]["status"] == "active"
    assert "pharmacy" in by_id[str(chooses.pk)]["medicationCodeableConcept"]["text"]
    assert by_id[str(revised.pk)]["priorPrescription"] == {"reference": f"MedicationRequest/{signed.pk}"}
    assert by_id[str(signed.pk)]["status"] == "cancelled"  # replaced by its signed revision
    assert by_id[str(awaiting.pk)]["status"] == "on-hold"
    assert by_id[str(refused.pk)]["status"] == "cancelled"
    assert by_id[str(refused.pk)]["statusReason"] == {"text": "Authorisation refused"}
    assert by_id[str(sc.pk)]["dosageInstruction"][0]["route"]["coding"][0]["code"] == "34206005"
    assert "rateQuantity" in by_id[str(sc.pk)]["dosageInstruction"][0]["doseAndRate"][0]


def test_it_gives_one_dosage_instruction_per_rate_step(client, clinic, admin_token):
    order = clinic["dispensed"]
    order.refresh_from_db()
    resource = next(r for r in _export(client, admin_token, "MedicationRequest") if r["id"] == str(order.pk))
    steps = [step for day in order.plan["days"] for step in day["steps"]]

    assert len(resource["dosageInstruction"]) == len(steps) > 1
    rates = [d["doseAndRate"][0]["rateQuantity"] for d in resource["dosageInstruction"]]
    assert [r["value"] for r in rates] == [pytest.approx(s["rate_ml_per_h"]) for s in steps]
    assert {(r["system"], r["code"]) for r in rates} == {("http://unitsofmeasure.org", "mL/h")}
    assert [d["sequence"] for d in resource["dosageInstruction"]] == list(range(1, len(steps) + 1))


def test_it_maps_lots_and_dispensings(client, clinic, admin_token):
    order = clinic["dispensed"]
    lots = {r["id"]: r for r in _export(client, admin_token, "Medication")}
    dispenses = _export(client, admin_token, "MedicationDispense")

    first = order.dispensed_lots.select_related("lot").first()
    medication = lots[str(first.lot_id)]
    assert medication["batch"] == {"lotNumber": first.lot.lot_number, "expirationDate": "2099-12-31"}
    assert medication["ingredient"][0]["strength"]["numerator"]["value"] == 10  # Privigen is 10 %
    dispense = next(d for d in dispenses if d["id"] == str(first.pk))
    assert dispense["medicationReference"] == {"reference": f"Medication/{first.lot_id}"}
    assert dispense["authorizingPrescription"] == [{"reference": f"MedicationRequest/{order.pk}"}]
    assert dispense["subject"] == {"reference": f"Patient/{order.patient_id}"}
    assert dispense["quantity"]["value"] == first.quantity_vials


def test_it_serves_a_valid_capability_statement_without_a_token(fhir):
    response = fhir("metadata")

    assert response.status_code == 200
    statement = response.data
    validate_r4(statement)
    listed = {r["type"]: r for r in statement["rest"][0]["resource"]}
    assert set(listed) == {*registry.resource_types(), "CodeSystem", "Questionnaire", "SearchParameter"}
    assert {"name": "patient", "type": "reference"} in listed["MedicationRequest"]["searchParam"]
    assert [i["code"] for i in statement["rest"][0]["interaction"]] == ["transaction"]


def test_it_answers_with_valid_bundles_and_outcomes(clinic, admin_token, fhir):
    bundle = fhir("MedicationRequest", admin_token, _count=3).data
    validate_r4(bundle)
    validate_r4(fhir("Patient/999999", admin_token).data)
    validate_r4(fhir("Patient", admin_token, nonsense="1").data)

"""QuestionnaireResponse: a diary entry with its temperature (UCUM), every symptom asked (yes/no and how bad),
the notes and the triage shown, for our own questionnaire."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from ivig.clinical.triage import Severity, Symptom
from ivig.followup.actions import record_entry, start_follow_up
from tests.fhir_validation import validate_r4

from .served import by_id


def _items(resource):
    return {item["linkId"]: item for item in resource["item"]}


def test_it_maps_a_diary_entry_with_fever_and_symptoms(
    make_user, make_dispensed_order, portal_family, settings, django_assert_num_queries
):
    settings.IVIG_PUBLIC_URL = "https://ivig.example.org"
    parent, (child,) = portal_family("parent1", "Leo")
    order = make_dispensed_order(patient=child)
    follow_up = start_follow_up(
        by=make_user("Nurse"), order=order, ended_at=timezone.now() - timedelta(hours=30)
    )
    entry = record_entry(
        by=parent,
        follow_up=follow_up,
        temp=Decimal("102"),
        temp_unit="F",
        symptoms={Symptom.HEADACHE: Severity.MODERATE, Symptom.TIREDNESS: Severity.MILD},
        notes="Slept most of the afternoon.",
    )
    # An entry with one mild symptom only: no temperature, no notes (an empty entry is refused, issue 17).
    quiet = record_entry(
        by=parent, follow_up=follow_up, temp=None, temp_unit="C", symptoms={Symptom.TIREDNESS: Severity.MILD}
    )

    with django_assert_num_queries(1):
        found = by_id("QuestionnaireResponse")
    resource, plain = found[str(entry.pk)], found[str(quiet.pk)]
    validate_r4(resource)
    validate_r4(plain)
    assert resource["questionnaire"] == "https://ivig.example.org/fhir/Questionnaire/after-infusion-diary"
    assert resource["status"] == "completed"
    assert resource["subject"] == {"reference": f"Patient/{child.pk}"}
    assert datetime.fromisoformat(resource["authored"]) == entry.recorded_at
    assert resource["author"] == {"display": parent.display_name}
    items = _items(resource)
    assert items["temperature"]["answer"] == [
        {
            "valueQuantity": {
                "value": 38.89,
                "unit": "°C",
                "system": "http://unitsofmeasure.org",
                "code": "Cel",
            }
        }
    ]
    assert items["temperature-as-entered"]["answer"] == [{"valueString": "102 F"}]
    symptoms = {item["linkId"]: item["answer"][0] for item in items["symptoms"]["item"]}
    assert len(symptoms) == len(Symptom)
    assert symptoms["symptom-headache"]["valueBoolean"] is True
    assert symptoms["symptom-headache"]["item"][0]["answer"][0]["valueCoding"]["code"] == "moderate"
    assert symptoms["symptom-chest_pain"] == {"valueBoolean": False}
    assert items["notes"]["answer"] == [{"valueString": "Slept most of the afternoon."}]
    assert items["triage"]["answer"][0]["valueCoding"]["code"] == "call_today"  # fever at 30 h

    quiet_items = _items(plain)
    assert "temperature" not in quiet_items and "notes" not in quiet_items
    assert quiet_items["triage"]["answer"][0]["valueCoding"]["code"] == "self_care"

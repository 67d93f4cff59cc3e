"""Observation: each vital sign its own resource with its LOINC code and UCUM unit, blood pressure as a panel
with components, weights and heights, and lab results with the codes of ivig.clinical.labs."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from ivig import clock
from ivig.clinical.labs import LabKind
from ivig.fhir import registry
from ivig.fhir.resources import observation
from ivig.infusions import actions
from ivig.infusions.models import VitalSigns
from ivig.patients.lab_actions import check_lab_value, record_lab_results
from tests.drivers.infusions import checked_in, running
from tests.fhir_validation import validate_r4

from .served import by_id

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"


def _loinc(resource):
    return [c["code"] for c in resource["code"]["coding"] if c["system"] == LOINC]


def test_it_maps_each_vital_sign_with_loinc_and_ucum(
    dispensed_order, fixed_clock, django_assert_max_num_queries
):
    d = dispensed_order
    session = running(d)  # baseline: heart rate 96, blood pressure 104/66
    fixed_clock.advance(minutes=15)
    actions.record_vitals(
        by=d.nurse,
        session=session,
        taken_at=clock.now(),
        temperature=Decimal("101.3"),
        temperature_unit="F",
        respiratory_rate=22,
        spo2=97,
    )
    baseline, later = VitalSigns.objects.filter(session=session).order_by("taken_at")
    with django_assert_max_num_queries(len(registry.sources("Observation"))):  # one per source, not per row
        found = by_id("Observation")
    for resource in found.values():
        validate_r4(resource)

    hr = found[f"hr-{baseline.pk}"]
    assert _loinc(hr) == ["8867-4"]
    assert hr["valueQuantity"] == {"value": 96, "unit": "/min", "system": UCUM, "code": "/min"}
    assert hr["category"][0]["coding"][0]["code"] == "vital-signs"
    assert hr["subject"] == {"reference": f"Patient/{d.order.patient_id}"}
    assert hr["partOf"] == [{"reference": f"MedicationAdministration/inf-{session.pk}"}]
    assert hr["meta"]["profile"] == ["http://hl7.org/fhir/StructureDefinition/heartrate"]
    bp = found[f"bp-{baseline.pk}"]
    assert _loinc(bp) == ["85354-9"] and "valueQuantity" not in bp
    assert [
        (c["code"]["coding"][0]["code"], c["valueQuantity"]["value"], c["valueQuantity"]["code"])
        for c in bp["component"]
    ] == [("8480-6", 104, "mm[Hg]"), ("8462-4", 66, "mm[Hg]")]
    assert f"temp-{baseline.pk}" not in found  # no temperature in the baseline set

    temp = found[f"temp-{later.pk}"]
    assert _loinc(temp) == ["8310-5"]
    assert temp["valueQuantity"]["code"] == "Cel" and temp["valueQuantity"]["value"] == 38.5  # 101.3 F
    assert found[f"rr-{later.pk}"]["valueQuantity"]["value"] == 22
    spo2 = found[f"spo2-{later.pk}"]
    assert _loinc(spo2) == ["2708-6", "59408-5"] and spo2["valueQuantity"]["code"] == "%"
    assert f"hr-{later.pk}" not in found

    weight = found[f"wtinf-{session.pk}"]
    assert _loinc(weight) == ["29463-7"]
    assert weight["valueQuantity"] == {"value": 25.4, "unit": "kg", "system": UCUM, "code": "kg"}


def test_it_leaves_out_part_of_for_vitals_of_an_infusion_not_started(dispensed_order, fixed_clock):
    d = dispensed_order
    session = checked_in(d)
    vitals = VitalSigns.objects.get(session=session)
    resource = by_id("Observation")[f"hr-{vitals.pk}"]
    validate_r4(resource)
    assert "partOf" not in resource


def test_it_maps_chart_weights_and_heights(make_user, make_patient):
    nurse = make_user("Nurse")
    patient = make_patient(nurse, weight_kg="62.5", height_cm="165.0")
    measurement = patient.measurements.get()
    found = by_id("Observation")
    weight, height = found[f"wt-{measurement.pk}"], found[f"ht-{measurement.pk}"]
    for resource in (weight, height):
        validate_r4(resource)
    assert _loinc(weight) == ["29463-7"] and weight["valueQuantity"]["value"] == 62.5
    assert _loinc(height) == ["8302-2"] and height["valueQuantity"]["code"] == "cm"


def test_it_maps_lab_results_with_their_loinc_codes(make_user, make_patient):
    nurse = make_user("Nurse")
    patient = make_patient(nurse)
    taken = date.today() - timedelta(days=3)
    entries = [
        check_lab_value(patient=patient, kind="igg", value=Decimal("690"), unit="mg/dL", taken_on=taken),
        check_lab_value(
            patient=patient, kind="platelets", value=Decimal("45"), unit="x10^9/L", taken_on=taken
        ),
        check_lab_value(
            patient=patient, kind="creatinine", value=Decimal("0.8"), unit="mg/dL", taken_on=taken
        ),
        check_lab_value(
            patient=patient, kind="egfr", value=Decimal("95"), unit="mL/min/1.73 m2", taken_on=taken
        ),
        check_lab_value(
            patient=patient, kind="haemoglobin", value=Decimal("12.1"), unit="g/dL", taken_on=taken
        ),
    ]
    results = {r.kind: r for r in record_lab_results(by=nurse, entries=entries)}
    found = by_id("Observation")
    labs = {kind: found[f"lab-{r.pk}"] for kind, r in results.items()}
    for resource in labs.values():
        validate_r4(resource)
        assert resource["category"][0]["coding"][0]["code"] == "laboratory"
        assert resource["effectiveDateTime"] == taken.isoformat()
    assert _loinc(labs["igg"]) == ["2465-3"]
    assert labs["igg"]["valueQuantity"] == {"value": 6.9, "unit": "g/L", "system": UCUM, "code": "g/L"}
    assert _loinc(labs["platelets"]) == ["777-3"] and labs["platelets"]["valueQuantity"]["code"] == "10*9/L"
    assert _loinc(labs["creatinine"]) == ["14682-9"] and labs["creatinine"]["valueQuantity"]["value"] == 70.72
    assert _loinc(labs["egfr"]) == []  # the formula is not recorded, so no LOINC code
    kind_codes = [
        c["code"] for c in labs["egfr"]["code"]["coding"] if c["system"] == observation.lab_kind_system()
    ]
    assert kind_codes == [LabKind.EGFR.value]
    assert _loinc(labs["haemoglobin"]) == ["718-7"] and labs["haemoglobin"]["valueQuantity"]["value"] == 121

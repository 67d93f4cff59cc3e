"""MedicationAdministration: one per infusion and one per rate segment, valid R4 in every state, with the
lots as Medication references (Medication id = Lot pk), the nurse and the verifying pharmacist."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ivig import clock
from ivig.fhir.resources import medication_administration as ma
from ivig.infusions.models import InfusionSession, RateSegment
from tests.drivers.infusions import Pump, checked_in, running
from tests.fhir_validation import validate_r4

PERFORM = "http://terminology.hl7.org/CodeSystem/med-admin-perform-function"


def _served(session):
    return ma.infusion_to_fhir(ma.infusions().get(pk=session.pk))


def _functions(resource):
    return {p["function"]["coding"][0]["code"]: p["actor"]["display"] for p in resource["performer"]}


def test_it_maps_a_running_infusion_and_its_first_segment(dispensed_order, fixed_clock):
    d = dispensed_order
    session = running(d)

    whole = _served(session)
    validate_r4(whole)
    assert whole["id"] == f"inf-{session.pk}" and whole["status"] == "in-progress"
    assert whole["subject"] == {"reference": f"Patient/{d.order.patient_id}"}
    assert whole["request"] == {"reference": f"MedicationRequest/{d.order.pk}"}
    assert list(whole["effectivePeriod"]) == ["start"]
    assert datetime.fromisoformat(whole["effectivePeriod"]["start"]) == session.started_at
    # The scanned lots, in scan order: G20A first, then F05A; not the dispensed-but-unscanned OLD05.
    assert whole["medicationReference"] == {"reference": f"Medication/{d.g20.pk}"}
    assert whole["supportingInformation"] == [
        {"reference": f"Medication/{d.g20.pk}"},
        {"reference": f"Medication/{d.f05.pk}"},
    ]
    assert "G20A" in whole["note"][0]["text"] and "OLD05" not in whole["note"][0]["text"]
    assert _functions(whole) == {"performer": d.nurse.display_name, "verifier": d.pharmacist.display_name}
    assert {p["function"]["coding"][0]["system"] for p in whole["performer"]} == {PERFORM}
    assert "dosage" not in whole  # no volume yet

    segment = ma.segment_to_fhir(ma.segments().get(session=session))
    validate_r4(segment)
    assert segment["status"] == "in-progress"
    assert segment["partOf"] == [{"reference": f"MedicationAdministration/inf-{session.pk}"}]
    assert segment["dosage"]["rateQuantity"] == {
        "value": 7.5,
        "unit": "mL/h",
        "system": "http://unitsofmeasure.org",
        "code": "mL/h",
    }
    assert "dose" not in segment["dosage"]


def test_it_gives_each_segment_its_volume_and_the_whole_infusion_its_total(dispensed_order, fixed_clock):
    d = dispensed_order
    pump = Pump.of(d, running(d))
    fixed_clock.advance(minutes=30)
    pump.vitals(temperature=Decimal("36.8"))
    pump.change("15")
    fixed_clock.advance(minutes=20)
    pump.pause("line kinked")
    assert _served(pump.session)["status"] == "on-hold"
    fixed_clock.advance(minutes=10)
    session = pump.end("family had to leave")

    whole = _served(session)
    validate_r4(whole)
    assert whole["status"] == "stopped" and whole["statusReason"] == [{"text": "family had to leave"}]
    assert datetime.fromisoformat(whole["effectivePeriod"]["end"]) == session.ended_at
    assert whole["dosage"]["dose"]["value"] == float(session.volume_given_ml)

    resources = [ma.segment_to_fhir(s) for s in ma.segments().filter(session=session)]
    for resource in resources:
        validate_r4(resource)
    assert [r["status"] for r in resources] == ["completed", "completed", "completed"]
    assert [r["dosage"]["rateQuantity"]["value"] for r in resources] == [7.5, 15.0, 0.0]
    # 30 min at 7.5 mL/h, 20 min at 15 mL/h, 10 min paused.
    assert [r["dosage"]["dose"]["value"] for r in resources] == [3.8, 5.0, 0.0]
    assert resources[2]["statusReason"] == [{"text": "line kinked"}]
    ids = {r["id"] for r in resources}
    assert ids == {
        f"seg-{pk}" for pk in RateSegment.objects.filter(session=session).values_list("pk", flat=True)
    }


def test_it_serves_a_sent_back_session_as_not_done_and_skips_one_not_started(dispensed_order, fixed_clock):
    d = dispensed_order
    session = checked_in(d)
    assert not ma.infusions().filter(pk=session.pk).exists()  # a checklist is not an administration
    InfusionSession.objects.filter(pk=session.pk).update(
        status="sent_back", sent_back_by=d.nurse, sent_back_at=clock.now(), sent_back_reason="weight changed"
    )

    resource = _served(session)
    validate_r4(resource)
    assert resource["status"] == "not-done"
    assert datetime.fromisoformat(resource["effectiveDateTime"]) == clock.now()
    assert resource["statusReason"] == [{"text": "weight changed"}]
    # Nothing scanned: the lots dispensed for the order.
    assert {r["reference"] for r in resource["supportingInformation"]} == {
        f"Medication/{lot.pk}" for lot in (d.g20, d.f05, d.old)
    }


def test_it_reads_a_page_of_administrations_in_a_constant_number_of_queries(
    dispensed_order, fixed_clock, django_assert_max_num_queries, settings
):
    settings.IVIG_VITALS_BEFORE_INCREASE = False
    d = dispensed_order
    pump = Pump.of(d, running(d))
    for minutes in (10, 20):
        fixed_clock.advance(minutes=10)
        pump.change(str(7.5 + minutes), reason="step")
    with django_assert_max_num_queries(4):
        assert len([ma.segment_to_fhir(s) for s in ma.segments()]) == 3
    with django_assert_max_num_queries(3):
        assert len([ma.infusion_to_fhir(s) for s in ma.infusions()]) == 1

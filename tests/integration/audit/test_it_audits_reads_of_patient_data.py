"""Reads of patient data leave an audit event naming who read what about whom: the chart page, the order
sheet PDF, the recall lookback CSV (with names) and the MedWatch CSV (issue 22, finding 5)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from ivig import clock
from ivig.audit.models import AuditEvent
from ivig.demo.orders import acknowledged_codes
from ivig.followup.actions import record_contact, start_follow_up
from ivig.followup.models import Contact
from ivig.hemovigilance.models import AdverseEventReport
from ivig.orders import views_sheet
from ivig.orders.pharmacy import dispense_order, verify_order

pytestmark = pytest.mark.django_db


def _reads(action):
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_it_audits_opening_a_patients_chart(client, make_user, make_patient):
    nurse = make_user("Nurse")
    patient = make_patient(nurse, mrn="CHART1")
    client.force_login(nurse)

    assert client.get(reverse("patients:detail", args=[patient.pk])).status_code == 200

    (event,) = _reads("patient.chart_read")
    assert (event.actor_id, event.patient_id, event.patient_mrn) == (nurse.pk, patient.pk, "CHART1")
    assert event.target_type == "patients.Patient" and event.target_id == str(patient.pk)
    assert event.after["request"] == reverse("patients:detail", args=[patient.pk])


def test_it_audits_printing_an_order_sheet_pdf(client, make_user, make_order, monkeypatch):
    monkeypatch.setattr(views_sheet, "write_pdf", lambda html, **_: b"%PDF-1.7 test")
    order = make_order(make_user("Prescriber"))
    pharmacist = make_user("Pharmacist")
    client.force_login(pharmacist)

    response = client.get(reverse("orders:sheet_pdf", args=[order.pk]), {"paper": "letter"})

    assert response.content.startswith(b"%PDF")
    (event,) = _reads("order.sheet_pdf")
    assert (event.actor_id, event.patient_id, event.patient_mrn) == (
        pharmacist.pk,
        order.patient_id,
        order.patient.mrn,
    )
    assert event.target_type == "orders.TherapyOrder" and event.target_id == str(order.pk)
    assert event.after["paper"] == "letter"


def test_it_audits_the_lookback_csv_once_per_patient_named(
    client, make_user, make_order, make_patient, make_lot
):
    prescriber, pharmacist = make_user("Prescriber"), make_user("Pharmacist")
    lot = make_lot(pharmacist, lot_number="BAD20", vials=10, vial_size_g="20")
    five = make_lot(pharmacist, lot_number="OK05", vials=10, vial_size_g="5")
    patients = [make_patient(prescriber, mrn=f"LB{n}", given_name=f"Kid{n}") for n in range(2)]
    for patient in patients:
        order = make_order(prescriber, patient=patient)
        verify_order(
            by=pharmacist,
            order=order,
            weight_kg=Decimal("25"),
            dose_confirmed=True,
            acknowledged=acknowledged_codes(order),
        )
        dispense_order(by=pharmacist, order=order, picks=[(lot, 2), (five, 2)])
    quality_user = make_user("Quality")
    client.force_login(quality_user)

    response = client.get(reverse("hemovigilance:lookback_csv"), {"lot": "BAD20"})

    assert response.status_code == 200 and "LB0" in response.content.decode()
    events = _reads("hemovigilance.lookback_export")
    assert sorted(e.patient_mrn for e in events) == ["LB0", "LB1"]
    assert {e.actor_id for e in events} == {quality_user.pk}
    assert {e.target_id for e in events} == {"BAD20"}


def test_it_audits_the_medwatch_csv_export(client, make_user, make_dispensed_order):
    order = make_dispensed_order()
    nurse = make_user("Nurse", username="ae-nurse")
    follow_up = start_follow_up(by=nurse, order=order, ended_at=clock.now() - timedelta(hours=20))
    record_contact(  # a confirmed reaction opens an adverse-event report
        by=nurse,
        follow_up=follow_up,
        entry=None,
        outcome=Contact.Outcome.REACTION,
        notes="Called the family",
        reaction_description="Headache after",
        reaction_grade=2,
    )
    report = AdverseEventReport.objects.get()
    quality = make_user("Quality")
    client.force_login(quality)

    response = client.get(reverse("hemovigilance:ae_medwatch_csv"))

    assert response.status_code == 200
    (event,) = _reads("hemovigilance.ae_medwatch_export")
    assert event.actor_id == quality.pk
    assert event.patient_id == order.patient_id == report.patient_id
    assert event.after["reports"] == [report.pk]

"""ITP response by the IWG criteria, from the platelet counts after the course and the bleeds recorded."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ivig.orders.models import TherapyOrder
from ivig.outcomes import actions
from ivig.patients.lab_actions import check_lab_value, record_lab_results
from tests.drivers.orders import verify_and_dispense


@pytest.fixture
def itp_patient(make_user, make_order, make_lot):
    prescriber, pharmacist = make_user("Prescriber"), make_user("Pharmacist")
    today = timezone.localdate()
    make_lot(pharmacist, lot_number="T20", vials=4, vial_size_g="20")
    make_lot(pharmacist, lot_number="T05", vials=4, vial_size_g="5")
    baseline_day = (today - timedelta(days=31)).isoformat()
    order = make_order(prescriber, labs={"platelets": {"value": "12", "taken_on": baseline_day}})
    verify_and_dispense(order, by=pharmacist, today=today)
    at = timezone.make_aware(datetime.combine(today - timedelta(days=30), time(8)))
    TherapyOrder.objects.filter(pk=order.pk).update(dispensed_at=at)
    return prescriber, order.patient


def _counts(by, patient, *values):
    today = timezone.localdate()
    entries = [
        check_lab_value(
            patient=patient, kind="platelets", value=Decimal(v), unit="", taken_on=today - timedelta(days=d)
        )
        for d, v in values
    ]
    record_lab_results(by=by, entries=entries)


def test_it_confirms_a_complete_response_over_7_days(client, itp_patient):
    prescriber, patient = itp_patient
    _counts(prescriber, patient, (25, "60"), (17, "120"), (9, "140"))
    client.force_login(prescriber)

    response = client.get(reverse("outcomes:patient", args=[patient.pk]))

    assert response.context["itp_status"] == "complete response"
    html = response.content.decode()
    assert 'id="chart-platelets"' in html and html.count("iwg-complete-response") >= 2
    assert "baseline 12.00" in html


def test_it_counts_a_count_during_bleeding_as_no_response(client, itp_patient):
    prescriber, patient = itp_patient
    _counts(prescriber, patient, (25, "60"), (17, "120"), (9, "140"), (8, "135"))
    today = timezone.localdate()
    actions.record_bleeding(
        by=prescriber,
        patient=patient,
        started_on=today - timedelta(days=9),
        ended_on=today - timedelta(days=8),
        description="nosebleeds",
    )
    client.force_login(prescriber)

    response = client.get(reverse("outcomes:patient", args=[patient.pk]))

    assessment = response.context["itp"].assessment
    assert [c.value for c in assessment.classes] == [
        "response",
        "complete-response",
        "no-response",
        "no-response",
    ]
    assert response.context["itp_status"] == "no response"
    assert 'class="chart-bleed"' in response.content.decode()


def test_it_snapshots_the_response_on_an_itp_review(client, itp_patient):
    prescriber, patient = itp_patient
    _counts(prescriber, patient, (25, "60"), (17, "120"), (9, "140"))
    client.force_login(prescriber)

    client.post(
        reverse("outcomes:review_add", args=[patient.pk]),
        {
            "indication": "itp",
            "reviewed_on": timezone.localdate().isoformat(),
            "outcome": "effective",
            "decision": "course_done",
        },
    )

    review = patient.outcome_reviews.get()
    assert review.itp_response == "complete-response"
    due = client.get(reverse("outcomes:patient", args=[patient.pk])).context["reviews_due"]
    assert [line.state for line in due] == ["recorded"]


def test_it_asks_for_the_baseline_count_when_there_is_none(client, make_user, make_order, make_lot):
    prescriber, pharmacist = make_user("Prescriber"), make_user("Pharmacist")
    today = timezone.localdate()
    make_lot(pharmacist, lot_number="T20", vials=4, vial_size_g="20")
    make_lot(pharmacist, lot_number="T05", vials=4, vial_size_g="5")
    order = make_order(prescriber)
    verify_and_dispense(order, by=pharmacist, today=today)
    TherapyOrder.objects.filter(pk=order.pk).update(dispensed_at=timezone.now() - timedelta(days=3))
    order.patient.lab_results.all().delete()
    client.force_login(prescriber)

    response = client.get(reverse("outcomes:patient", args=[order.patient.pk]))

    assert response.status_code == 200
    assert "no platelet count on or before the course start" in response.content.decode()

"""Review dates per regimen from the patient's dispensed orders; outcomes; CIDP/MMN scores."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ivig.audit.models import AuditEvent
from ivig.clinical.outcomes.reviews import add_months
from ivig.outcomes.models import DisabilityScore


def test_it_puts_the_first_review_6_months_after_the_first_dispensing_then_yearly(
    client, prescriber_and_pk_patient
):
    _prescriber, patient = prescriber_and_pk_patient
    today = timezone.localdate()
    started = today - timedelta(days=364)

    first = client.get(reverse("outcomes:patient", args=[patient.pk])).context["reviews_due"]

    assert [(line.regimen, line.started, line.due.due, line.state) for line in first] == [
        ("pi", started, add_months(started, 6), "overdue")
    ]
    reviewed_on = today - timedelta(days=2)
    response = client.post(
        reverse("outcomes:review_add", args=[patient.pk]),
        {
            "indication": "pi",
            "reviewed_on": reviewed_on.isoformat(),
            "outcome": "effective",
            "decision": "continue",
            "notes": "No serious infections",
        },
    )
    assert response.status_code == 302
    after = client.get(reverse("outcomes:patient", args=[patient.pk])).context["reviews_due"]
    assert after[0].due.due == add_months(reviewed_on, 12) and after[0].state == "later"
    assert AuditEvent.objects.filter(action="outcome.review", patient_mrn=patient.mrn).exists()


def test_it_refuses_a_review_without_an_outcome(client, prescriber_and_pk_patient):
    _prescriber, patient = prescriber_and_pk_patient

    response = client.post(
        reverse("outcomes:review_add", args=[patient.pk]),
        {
            "indication": "pi",
            "reviewed_on": timezone.localdate().isoformat(),
            "decision": "continue",
        },
    )

    assert response.status_code == 400 and not patient.outcome_reviews.exists()


def _score(client, patient, **fields):
    data = {"indication": "cidp", "assessed_on": timezone.localdate().isoformat()}
    data.update(fields)
    return client.post(reverse("outcomes:disability_add", args=[patient.pk]), data)


def test_it_records_incat_and_grip_and_shows_the_change(client, prescriber_and_pk_patient):
    _prescriber, patient = prescriber_and_pk_patient
    today = timezone.localdate()
    assert (
        _score(
            client,
            patient,
            assessed_on=(today - timedelta(days=90)).isoformat(),
            incat_arm="2",
            incat_leg="3",
            grip_right_kg="18.5",
        ).status_code
        == 302
    )
    assert _score(client, patient, incat_arm="1", incat_leg="2", grip_left_kg="22").status_code == 302

    response = client.get(reverse("outcomes:patient", args=[patient.pk]))

    (change,) = response.context["score_changes"]
    assert change["incat_change"] == -2
    assert DisabilityScore.objects.filter(patient=patient).count() == 2
    assert "-2" in response.content.decode()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"incat_arm": "2"}, "both the arm and the leg"),
        ({}, "INCAT grades, a grip strength, or both"),
        ({"incat_arm": "6", "incat_leg": "0"}, "less than or equal to 5"),
        ({"grip_right_kg": "180"}, "between 0 and 100 kg"),
    ],
)
def test_it_refuses_incomplete_or_impossible_scores(client, prescriber_and_pk_patient, fields, message):
    _prescriber, patient = prescriber_and_pk_patient

    response = _score(client, patient, **fields)

    assert response.status_code == 400 and message in response.content.decode()
    assert not DisabilityScore.objects.exists()

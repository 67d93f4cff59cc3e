"""Dose-reduction and withdrawal trials: started by a prescriber, decided at review, audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ivig.audit.models import AuditEvent
from ivig.outcomes.models import DoseTrial


def _start(client, patient, **fields):
    today = timezone.localdate()
    data = {
        "indication": "pi",
        "kind": "reduction",
        "current_dose_g": "30",
        "current_interval_weeks": "4",
        "planned_dose_g": "25",
        "planned_interval_weeks": "4",
        "started_on": today.isoformat(),
        "review_on": (today + timedelta(days=84)).isoformat(),
        "reason": "Stable, no infections for a year: lowest effective dose",
    }
    data.update(fields)
    return client.post(reverse("outcomes:trial_start", args=[patient.pk]), data)


def test_it_starts_a_reduction_from_the_last_order_and_decides_it_at_review(
    client, prescriber_and_pk_patient
):
    prescriber, patient = prescriber_and_pk_patient
    page = client.get(reverse("outcomes:patient", args=[patient.pk]))
    initial = page.context["trial_form"].initial
    assert (
        initial["indication"] == "pi"
        and initial["current_interval_weeks"] == 4
        and initial["current_dose_g"] > 0
    )

    assert _start(client, patient).status_code == 302
    trial = DoseTrial.objects.get()
    assert trial.is_open and trial.order == patient.orders.order_by("dispensed_at").last()
    again = _start(client, patient)
    assert again.status_code == 400 and "already running" in again.content.decode()

    decided = client.post(
        reverse("outcomes:trial_result", args=[patient.pk, trial.pk]),
        {"result": "continue_reduced", "result_on": timezone.localdate().isoformat(), "notes": "Trough 6.8"},
    )

    assert decided.status_code == 302
    trial.refresh_from_db()
    assert trial.result == "continue_reduced" and trial.decided_by == prescriber
    actions = list(
        AuditEvent.objects.filter(target_type="outcomes.DoseTrial").values_list("action", flat=True)
    )
    assert sorted(actions) == ["outcome.trial_result", "outcome.trial_start"]
    # A decided trial is a review: the next one is a year later.
    due = client.get(reverse("outcomes:patient", args=[patient.pk])).context["reviews_due"][0]
    assert due.last_review == timezone.localdate() and due.state == "later"


def test_it_refuses_a_reduction_that_does_not_reduce(client, prescriber_and_pk_patient):
    _prescriber, patient = prescriber_and_pk_patient

    same_weekly = _start(client, patient, planned_dose_g="22.5", planned_interval_weeks="3")
    missing = _start(client, patient, planned_dose_g="")
    early_review = _start(client, patient, review_on=timezone.localdate().isoformat())

    assert same_weekly.status_code == 400 and "not less than the current" in same_weekly.content.decode()
    assert missing.status_code == 400 and early_review.status_code == 400
    assert not DoseTrial.objects.exists()


def test_it_lets_a_withdrawal_only_stop_or_revert(client, prescriber_and_pk_patient):
    _prescriber, patient = prescriber_and_pk_patient
    assert (
        _start(client, patient, kind="withdrawal", planned_dose_g="", planned_interval_weeks="").status_code
        == 302
    )
    trial = DoseTrial.objects.get()
    assert trial.planned_dose_g is None
    url = reverse("outcomes:trial_result", args=[patient.pk, trial.pk])
    today = timezone.localdate().isoformat()

    refused = client.post(url, {"result": "continue_reduced", "result_on": today})
    reverted = client.post(url, {"result": "revert", "result_on": today})
    twice = client.post(url, {"result": "stop", "result_on": today})

    assert refused.status_code == 400 and "no reduced dose" in refused.content.decode()
    assert reverted.status_code == 302
    assert twice.status_code == 400 and "already decided" in twice.content.decode()


@pytest.mark.parametrize("role", ["Nurse", "Pharmacist", "Quality"])
def test_it_lets_only_prescribers_run_trials(client, make_user, prescriber_and_pk_patient, role):
    _prescriber, patient = prescriber_and_pk_patient
    client.force_login(make_user(role, username=f"other-{role.lower()}"))

    assert _start(client, patient).status_code == 403
    assert not DoseTrial.objects.exists()

"""Write outcomes. Each function is one transaction, checks its input and leaves an audit event."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction

from ivig import clock
from ivig.audit.events import record
from ivig.lib.refusals import ActionRefused
from ivig.orders.models import TherapyOrder
from ivig.outcomes.models import Bleeding, DisabilityScore, DoseTrial, Infection, OutcomeReview
from ivig.patients.actions import save_for_patient
from ivig.patients.models import Patient

if TYPE_CHECKING:
    from ivig.accounts.models import User


class OutcomeError(ActionRefused, ValueError):
    """An outcome that cannot be recorded as given; the message is for the person entering it."""


def _not_future(day: date, what: str, today: date | None) -> None:
    if day > (today or clock.localdate()):
        raise OutcomeError(f"The {what} date cannot be in the future.")


def _on_or_after_birth(patient: Patient, day: date, what: str) -> None:
    if day < patient.date_of_birth:
        raise OutcomeError(f"The {what} date is before the patient was born.")


@transaction.atomic
def record_infection(
    *,
    by: User,
    patient: Patient,
    onset: date,
    kind: str,
    serious_bacterial: bool,
    antibiotic_days: int = 0,
    hospital_days: int = 0,
    notes: str = "",
    today: date | None = None,
) -> Infection:
    _not_future(onset, "onset", today)
    _on_or_after_birth(patient, onset, "onset")
    infection = Infection(
        patient=patient,
        onset=onset,
        kind=kind.strip(),
        serious_bacterial=serious_bacterial,
        antibiotic_days=antibiotic_days,
        hospital_days=hospital_days,
        notes=notes.strip(),
        recorded_by=by,
    )
    sbi = " (serious bacterial)" if serious_bacterial else ""
    return save_for_patient(
        infection,
        by,
        patient,
        "outcome.infection",
        lambda row: f"Infection: {row.kind}{sbi} from {onset:%Y-%m-%d}",
        ("onset", "kind", "serious_bacterial", "antibiotic_days", "hospital_days"),
    )


@transaction.atomic
def record_bleeding(
    *,
    by: User,
    patient: Patient,
    started_on: date,
    description: str,
    ended_on: date | None = None,
    today: date | None = None,
) -> Bleeding:
    _not_future(started_on, "bleeding", today)
    _on_or_after_birth(patient, started_on, "bleeding")
    if ended_on is not None and ended_on < started_on:
        raise OutcomeError("The bleeding cannot end before it started.")
    bleed = Bleeding(
        patient=patient,
        started_on=started_on,
        ended_on=ended_on,
        description=description.strip(),
        recorded_by=by,
    )
    return save_for_patient(
        bleed,
        by,
        patient,
        "outcome.bleeding",
        lambda row: f"Bleeding from {started_on:%Y-%m-%d}: {row.description}",
        ("started_on", "ended_on", "description"),
    )


def _score_summary(score: DisabilityScore) -> str:
    parts = [
        f"INCAT {score.incat_total}" if score.incat_total is not None else "",
        f"grip R {score.grip_right_kg} kg" if score.grip_right_kg is not None else "",
        f"grip L {score.grip_left_kg} kg" if score.grip_left_kg is not None else "",
    ]
    return f"{score.get_indication_display()} on {score.assessed_on:%Y-%m-%d}: " + ", ".join(
        p for p in parts if p
    )


@transaction.atomic
def record_disability_score(
    *,
    by: User,
    patient: Patient,
    indication: str,
    assessed_on: date,
    incat_arm: int | None = None,
    incat_leg: int | None = None,
    grip_right_kg: Decimal | None = None,
    grip_left_kg: Decimal | None = None,
    notes: str = "",
    today: date | None = None,
) -> DisabilityScore:
    _not_future(assessed_on, "assessment", today)
    _on_or_after_birth(patient, assessed_on, "assessment")
    if (incat_arm is None) != (incat_leg is None):
        raise OutcomeError("INCAT needs both the arm and the leg grade.")
    if incat_arm is None and grip_right_kg is None and grip_left_kg is None:
        raise OutcomeError("Enter the INCAT grades, a grip strength, or both.")
    score = DisabilityScore(
        patient=patient,
        indication=indication,
        assessed_on=assessed_on,
        incat_arm=incat_arm,
        incat_leg=incat_leg,
        grip_right_kg=grip_right_kg,
        grip_left_kg=grip_left_kg,
        notes=notes.strip(),
        recorded_by=by,
    )
    return save_for_patient(
        score,
        by,
        patient,
        "outcome.disability",
        _score_summary,
        ("indication", "assessed_on", "incat_arm", "incat_leg", "grip_right_kg", "grip_left_kg"),
    )


@transaction.atomic
def record_review(
    *,
    by: User,
    patient: Patient,
    indication: str,
    reviewed_on: date,
    outcome: str,
    decision: str,
    notes: str = "",
    itp_response: str = "",
    today: date | None = None,
) -> OutcomeReview:
    _not_future(reviewed_on, "review", today)
    _on_or_after_birth(patient, reviewed_on, "review")
    review = OutcomeReview(
        patient=patient,
        indication=indication,
        reviewed_on=reviewed_on,
        outcome=outcome,
        decision=decision,
        itp_response=itp_response if indication == "itp" else "",
        notes=notes.strip(),
        recorded_by=by,
    )
    return save_for_patient(
        review,
        by,
        patient,
        "outcome.review",
        lambda row: (
            f"{row.get_indication_display()} review: {row.get_outcome_display().lower()}; "
            f"{row.get_decision_display().lower()}"
        ),
        ("indication", "reviewed_on", "outcome", "decision", "itp_response"),
    )


@transaction.atomic
def start_dose_trial(
    *,
    by: User,
    patient: Patient,
    indication: str,
    kind: str,
    current_dose_g: Decimal,
    current_interval_weeks: int,
    started_on: date,
    review_on: date,
    reason: str,
    planned_dose_g: Decimal | None = None,
    planned_interval_weeks: int | None = None,
    order: TherapyOrder | None = None,
) -> DoseTrial:
    """Start a trial; a reduction must give less immunoglobulin per week than the current dose."""
    if not reason.strip():
        raise OutcomeError("Give the reason for the trial.")
    if review_on <= started_on:
        raise OutcomeError("The review date must be after the start.")
    if order is not None and order.patient_id != patient.pk:
        raise OutcomeError("That order is for another patient.")
    if kind == DoseTrial.Kind.REDUCTION:
        if planned_dose_g is None or planned_interval_weeks is None:
            raise OutcomeError("A dose reduction needs the planned dose and interval.")
        new = DoseTrial.weekly(planned_dose_g, planned_interval_weeks)
        old = DoseTrial.weekly(current_dose_g, current_interval_weeks)
        if new >= old:
            raise OutcomeError(
                f"The planned dose gives {new:.2f} g a week, not less than the current {old:.2f} g a week."
            )
    else:
        planned_dose_g = planned_interval_weeks = None
    if DoseTrial.objects.filter(patient=patient, indication=indication, result="").exists():
        raise OutcomeError("A trial for this indication is already running: record its outcome first.")
    trial = DoseTrial(
        patient=patient,
        indication=indication,
        kind=kind,
        order=order,
        current_dose_g=current_dose_g,
        current_interval_weeks=current_interval_weeks,
        planned_dose_g=planned_dose_g,
        planned_interval_weeks=planned_interval_weeks,
        started_on=started_on,
        review_on=review_on,
        reason=reason.strip(),
        started_by=by,
    )
    trial.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            trial.save()
    except IntegrityError:
        raise OutcomeError(
            "A trial for this indication is already running: record its outcome first."
        ) from None
    plan = "stop" if planned_dose_g is None else f"{planned_dose_g} g every {planned_interval_weeks} weeks"
    record(
        action="outcome.trial_start",
        by=by,
        target=trial,
        patient=patient,
        summary=f"{trial.get_kind_display()} ({trial.get_indication_display()}): "
        f"from {current_dose_g} g every {current_interval_weeks} weeks to {plan}; "
        f"review {review_on:%Y-%m-%d}",
        after={
            "kind": kind,
            "indication": indication,
            "current_dose_g": current_dose_g,
            "current_interval_weeks": current_interval_weeks,
            "planned_dose_g": planned_dose_g,
            "planned_interval_weeks": planned_interval_weeks,
            "started_on": started_on,
            "review_on": review_on,
            "order_id": None if order is None else order.pk,
        },
    )
    return trial


@transaction.atomic
def conclude_dose_trial(
    *, by: User, trial: DoseTrial, result: str, result_on: date, notes: str = "", today: date | None = None
) -> DoseTrial:
    """Record the trial's outcome at review: continue reduced (reductions only), revert, or stop."""
    trial = DoseTrial.objects.select_for_update().get(pk=trial.pk)
    if not trial.is_open:
        raise OutcomeError(f"This trial was already decided: {trial.get_result_display().lower()}.")
    if result not in DoseTrial.Result.values:
        raise OutcomeError("Choose the outcome of the trial.")
    if result == DoseTrial.Result.CONTINUE_REDUCED and trial.kind == DoseTrial.Kind.WITHDRAWAL:
        raise OutcomeError("A withdrawal has no reduced dose: choose to stay off (stop) or go back.")
    _not_future(result_on, "outcome", today)
    if result_on < trial.started_on:
        raise OutcomeError("The outcome date is before the trial started.")
    trial.result, trial.result_on, trial.result_notes = result, result_on, notes.strip()
    trial.decided_by, trial.decided_at = by, clock.now()
    trial.save()
    record(
        action="outcome.trial_result",
        by=by,
        target=trial,
        patient=trial.patient,
        summary=f"{trial.get_kind_display()} ({trial.get_indication_display()}): "
        f"{trial.get_result_display()}",
        before={"result": ""},
        after={"result": result, "result_on": result_on, "notes": trial.result_notes},
    )
    return trial

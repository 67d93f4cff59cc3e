"""Outcomes of immunoglobulin therapy: infections, bleeds (ITP), disability scores (CIDP, MMN), review
outcomes per indication, and dose-reduction or withdrawal trials. Rows are never edited; history is kept.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ivig.lib.models import RecordedBy
from ivig.orders.models import INDICATION_CHOICES, TherapyOrder
from ivig.patients.models import Patient

USER = settings.AUTH_USER_MODEL
# A year is the longest span a single infection's antibiotic or hospital days can plausibly cover.
MAX_EPISODE_DAYS = 365
INCAT_LIMB_MAX = 5  # INCAT: arm and leg disability 0-5 each, total 0-10 (Hughes et al., Ann Neurol 2001)
MAX_GRIP_KG = Decimal("100")
NEURO_INDICATIONS = [(value, label) for value, label in INDICATION_CHOICES if value in ("cidp", "mmn")]


class Infection(RecordedBy):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="infections")
    onset = models.DateField()
    kind = models.CharField("type", max_length=100)
    serious_bacterial = models.BooleanField("serious bacterial infection")
    antibiotic_days = models.PositiveSmallIntegerField(default=0)
    hospital_days = models.PositiveSmallIntegerField("days in hospital", default=0)
    notes = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-onset", "-id"]
        indexes = [models.Index(fields=["patient", "-onset"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(antibiotic_days__lte=MAX_EPISODE_DAYS, hospital_days__lte=MAX_EPISODE_DAYS),
                name="infection_days_plausible",
            ),
            models.CheckConstraint(condition=~Q(kind=""), name="infection_has_type"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on {self.onset:%Y-%m-%d}"


class Bleeding(RecordedBy):
    """A bleeding episode: a platelet count taken during one is no response by the IWG criteria."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="bleeds")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)  # blank: that day only
    description = models.CharField(max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="bleeding_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Bleeding on {self.started_on:%Y-%m-%d}: {self.description}"


class DisabilityScore(RecordedBy):
    """CIDP or MMN disability: INCAT (arm and leg grades) and/or grip strength by dynamometer, in kg."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="disability_scores")
    indication = models.CharField(max_length=12, choices=NEURO_INDICATIONS)
    assessed_on = models.DateField()
    incat_arm = models.PositiveSmallIntegerField("INCAT arm grade", null=True, blank=True)
    incat_leg = models.PositiveSmallIntegerField("INCAT leg grade", null=True, blank=True)
    grip_right_kg = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    grip_left_kg = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    notes = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(incat_arm__isnull=True, incat_leg__isnull=True)
                | Q(incat_arm__lte=INCAT_LIMB_MAX, incat_leg__lte=INCAT_LIMB_MAX),
                name="disability_incat_both_in_range",
            ),
            models.CheckConstraint(
                condition=Q(incat_arm__isnull=False)
                | Q(grip_right_kg__isnull=False)
                | Q(grip_left_kg__isnull=False),
                name="disability_has_a_measure",
            ),
            models.CheckConstraint(
                condition=(
                    Q(grip_right_kg__isnull=True) | Q(grip_right_kg__gte=0, grip_right_kg__lte=MAX_GRIP_KG)
                )
                & (Q(grip_left_kg__isnull=True) | Q(grip_left_kg__gte=0, grip_left_kg__lte=MAX_GRIP_KG)),
                name="disability_grip_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_indication_display()} disability on {self.assessed_on:%Y-%m-%d}"

    @property
    def incat_total(self) -> int | None:
        if self.incat_arm is None or self.incat_leg is None:
            return None
        return self.incat_arm + self.incat_leg


class OutcomeReview(RecordedBy):
    """A recorded review of therapy for one indication: how well it worked and what was decided."""

    class Outcome(models.TextChoices):
        EFFECTIVE = "effective", "Effective"
        PARTIAL = "partial", "Partly effective"
        NOT_EFFECTIVE = "not_effective", "Not effective"
        UNCLEAR = "unclear", "Too early to tell"

    class Decision(models.TextChoices):
        CONTINUE = "continue", "Continue the same dose"
        REDUCE = "reduce", "Try a lower dose"
        INCREASE = "increase", "Increase the dose"
        STOP = "stop", "Stop immunoglobulin"
        COURSE_DONE = "course_done", "Course complete, nothing more planned"

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="outcome_reviews")
    indication = models.CharField(max_length=12, choices=INDICATION_CHOICES)
    reviewed_on = models.DateField()
    outcome = models.CharField(max_length=15, choices=Outcome.choices)
    decision = models.CharField(max_length=15, choices=Decision.choices)
    # For ITP: the IWG response class on the review day, as computed from the platelet history then.
    itp_response = models.CharField(max_length=20, blank=True)
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        indexes = [models.Index(fields=["patient", "indication", "-reviewed_on"])]
        permissions = [
            ("view_outcomes", "Can see outcomes, reviews and IgG pharmacokinetics"),
            ("record_outcomes", "Can record infections, bleeds, disability scores and review outcomes"),
            ("run_dose_trial", "Can start a dose-reduction or withdrawal trial and decide its outcome"),
        ]

    def __str__(self) -> str:
        return f"{self.get_indication_display()} review on {self.reviewed_on:%Y-%m-%d}"


class DoseTrial(models.Model):
    """A planned dose reduction or withdrawal, reviewed on a date: continue reduced, revert, or stop."""

    class Kind(models.TextChoices):
        REDUCTION = "reduction", "Dose reduction"
        WITHDRAWAL = "withdrawal", "Withdrawal (stop and watch)"

    class Result(models.TextChoices):
        CONTINUE_REDUCED = "continue_reduced", "Continue the reduced dose"
        REVERT = "revert", "Go back to the previous dose"
        STOP = "stop", "Stop immunoglobulin"

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="dose_trials")
    indication = models.CharField(max_length=12, choices=INDICATION_CHOICES)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    order = models.ForeignKey(TherapyOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    current_dose_g = models.DecimalField(max_digits=6, decimal_places=2)
    current_interval_weeks = models.PositiveSmallIntegerField()
    planned_dose_g = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    planned_interval_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    started_on = models.DateField()
    review_on = models.DateField()
    reason = models.CharField(max_length=300)
    started_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    result = models.CharField(max_length=20, choices=Result.choices, blank=True)
    result_on = models.DateField(null=True, blank=True)
    result_notes = models.TextField(blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "indication"],
                condition=Q(result=""),
                name="dosetrial_one_open_per_indication",
            ),
            models.CheckConstraint(
                condition=Q(
                    decided_by__isnull=True, decided_at__isnull=True, result="", result_on__isnull=True
                )
                | Q(decided_by__isnull=False, decided_at__isnull=False, result_on__isnull=False)
                & ~Q(result=""),
                name="dosetrial_result_with_who_and_when",
            ),
            models.CheckConstraint(
                condition=Q(
                    kind="withdrawal", planned_dose_g__isnull=True, planned_interval_weeks__isnull=True
                )
                | Q(kind="reduction", planned_dose_g__gt=0, planned_interval_weeks__gte=1),
                name="dosetrial_plan_matches_kind",
            ),
            models.CheckConstraint(
                condition=~Q(kind="withdrawal", result="continue_reduced"),
                name="dosetrial_withdrawal_not_continued_reduced",
            ),
            models.CheckConstraint(
                condition=Q(review_on__gt=models.F("started_on")), name="dosetrial_review_after_start"
            ),
            models.CheckConstraint(
                condition=Q(current_dose_g__gt=0, current_interval_weeks__gte=1),
                name="dosetrial_current_dose",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.started_on:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return not self.result

    @staticmethod
    def weekly(dose_g: Any, interval_weeks: Any) -> Decimal:
        return Decimal(dose_g) / Decimal(interval_weeks)

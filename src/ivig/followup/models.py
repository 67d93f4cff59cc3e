"""The 72-hour follow-up after an infusion: diary entries, reminders, care-team contacts and reactions."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q

from ivig.audit.constraints import paired
from ivig.clinical.triage import Level
from ivig.lib.models import LastUpdated
from ivig.orders.models import DispensedLot, TherapyOrder
from ivig.patients.models import Patient

USER = settings.AUTH_USER_MODEL
# Reactions are counted up to 72 h after an infusion (docs/reference/monitoring.md s8); the diary asks at 24,
# 48, 72 h.
DIARY_HOURS = (24, 48, 72)
FOLLOW_UP_HOURS = 72


class FollowUp(models.Model):
    """The three days after one infusion ended."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="follow_ups")
    order = models.ForeignKey(TherapyOrder, on_delete=models.PROTECT, related_name="follow_ups")
    ended_at = models.DateTimeField("infusion ended at")
    started_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-ended_at"]
        permissions = [
            ("view_worklist", "Can see the after-infusion worklist"),
            ("record_contact", "Can record a care-team contact and confirm a reaction"),
            ("start_follow_up", "Can start an after-infusion follow-up by hand"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["order", "ended_at"], name="followup_one_per_infusion_end"),
        ]

    def __str__(self) -> str:
        return f"Follow-up of {self.patient} after {self.ended_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self) -> datetime:
        return self.ended_at + timedelta(hours=FOLLOW_UP_HOURS)

    def is_open(self, now: datetime) -> bool:
        return now < self.ends_at

    def hours_after(self, moment: datetime) -> float:
        return (moment - self.ended_at).total_seconds() / 3600


class DiaryEntry(LastUpdated):
    """What the patient or parent recorded, and the core's triage of it (kept as given at the time)."""

    LEVELS = [(level.value, level.code) for level in Level]

    follow_up = models.ForeignKey(FollowUp, on_delete=models.PROTECT, related_name="entries")
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    temp_c = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    temp_entered = models.CharField(max_length=12, blank=True)  # as typed, with its unit: "102 F"
    symptoms = models.JSONField(default=dict, blank=True)  # symptom code -> severity (1 mild..3 severe)
    notes = models.TextField(blank=True)
    level = models.PositiveSmallIntegerField(choices=LEVELS)
    rule_codes = models.JSONField(default=list)
    reviewed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-recorded_at"]
        indexes = [models.Index(fields=["level", "reviewed_at"])]
        constraints = [
            paired("diaryentry", "reviewed_by", "reviewed_at"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=3), name="diaryentry_level_range"),
        ]

    def __str__(self) -> str:
        return f"Diary entry {self.pk} ({Level(self.level).code})"

    @property
    def triage_level(self) -> Level:
        return Level(self.level)

    @property
    def hours_after(self) -> float:
        return self.follow_up.hours_after(self.recorded_at)


class Contact(models.Model):
    """A care-team call about a follow-up (an entry, or a missing diary) and what came of it."""

    class Outcome(models.TextChoices):
        ADVICE = "advice", "Advice given, self-care at home"
        SEEN = "seen", "Asked to come in to be seen"
        EMERGENCY = "emergency", "Sent to the emergency department"
        NO_ANSWER = "no_answer", "No answer, will try again"
        REACTION = "reaction", "Reaction confirmed"

    follow_up = models.ForeignKey(FollowUp, on_delete=models.PROTECT, related_name="contacts")
    entry = models.ForeignKey(
        DiaryEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="contacts"
    )
    contacted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    contacted_at = models.DateTimeField()
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-contacted_at"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.contacted_at:%Y-%m-%d %H:%M})"


class DiaryReaction(models.Model):
    """A reaction the care team confirmed from the diary: an adverse event linked to the order and lots."""

    class Grade(models.IntegerChoices):
        # CTCAE v5.0 "Infusion related reaction" (docs/reference/monitoring.md s8).
        G1 = 1, "Grade 1: mild, transient"
        G2 = 2, "Grade 2: responded promptly to treatment"
        G3 = 3, "Grade 3: prolonged, or hospitalised"
        G4 = 4, "Grade 4: life-threatening"
        G5 = 5, "Grade 5: death"

    follow_up = models.ForeignKey(FollowUp, on_delete=models.PROTECT, related_name="reactions")
    order = models.ForeignKey(TherapyOrder, on_delete=models.PROTECT, related_name="diary_reactions")
    contact = models.OneToOneField(Contact, on_delete=models.PROTECT, related_name="reaction")
    lots = models.ManyToManyField(DispensedLot, blank=True, related_name="diary_reactions")
    description = models.CharField(max_length=300)
    grade = models.PositiveSmallIntegerField(choices=Grade.choices)
    onset_at = models.DateTimeField()
    confirmed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField()

    class Meta:
        ordering = ["-confirmed_at"]

    def __str__(self) -> str:
        return f"Reaction: {self.description}"


class Reminder(models.Model):
    """One diary prompt sent; the unique constraint makes a second send impossible."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.PROTECT, related_name="reminders")
    hours = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField()
    recipients = models.JSONField(default=list)

    class Meta:
        ordering = ["follow_up", "hours"]
        constraints = [
            models.UniqueConstraint(fields=["follow_up", "hours"], name="reminder_once_per_kind"),
            models.CheckConstraint(condition=Q(hours__in=DIARY_HOURS), name="reminder_hours_known"),
        ]

    def __str__(self) -> str:
        return f"{self.hours} h reminder for follow-up {self.follow_up_id}"

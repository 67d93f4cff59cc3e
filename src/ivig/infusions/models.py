"""Infusion sessions: the nurse's flowsheet for one day of an order, and everything recorded during it.

A session starts from a dispensed order, in a centre chair or at home. Pump rates are kept as segments (a
rate from a time until the next change), so the volume given is the sum of rate x time. Every change bumps
the session's `version`: a device saving with an older version is told that someone else saved first.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from ivig.audit.constraints import both_or_neither, paired
from ivig.clinical.infusion.monitoring import CheckKind
from ivig.clinical.infusion.news2 import CONSCIOUSNESS_LABELS, Spo2Scale
from ivig.clinical.infusion.reactions import SYMPTOM_LABELS, Grade
from ivig.clinical.infusion.vitals import MEASURES
from ivig.inventory.models import Lot
from ivig.lib.models import LastUpdated
from ivig.orders.models import TherapyOrder
from ivig.patients.models import Patient

USER = settings.AUTH_USER_MODEL


class InfusionSession(LastUpdated):
    class Setting(models.TextChoices):
        CENTRE = "centre", "Centre chair"
        HOME = "home", "Home visit"

    class Status(models.TextChoices):
        CHECKLIST = "checklist", "Pre-infusion checklist"
        READY = "ready", "Ready to start"
        RUNNING = "running", "Running"
        PAUSED = "paused", "Paused"
        ENDED = "ended", "Ended: observing"
        COMPLETED = "completed", "Completed"
        SENT_BACK = "sent_back", "Sent back to the prescriber"

    class Identifier(models.TextChoices):
        NAME = "name", "Full name"
        DATE_OF_BIRTH = "date_of_birth", "Date of birth"
        MRN = "mrn", "Medical record number"
        WRISTBAND = "wristband", "Wristband"
        HEALTH_CARD = "health_card", "Health card number"

    ACTIVE = (Status.CHECKLIST, Status.READY, Status.RUNNING, Status.PAUSED, Status.ENDED)
    PUMPING = (Status.RUNNING, Status.PAUSED)

    order = models.ForeignKey(TherapyOrder, on_delete=models.PROTECT, related_name="infusion_sessions")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="infusion_sessions")
    day_number = models.PositiveSmallIntegerField(default=1)
    setting = models.CharField(max_length=10, choices=Setting.choices, default=Setting.CENTRE)
    location = models.CharField("chair or place", max_length=120, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.CHECKLIST, db_index=True)
    version = models.PositiveIntegerField(default=1)

    # Pre-infusion checklist (saved as the nurse goes, confirmed together).
    identifier_1 = models.CharField(max_length=20, choices=Identifier.choices, blank=True)
    identifier_2 = models.CharField(max_length=20, choices=Identifier.choices, blank=True)
    consent_confirmed = models.BooleanField(default=False)
    weight_today_kg = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    hydration = models.CharField(max_length=200, blank=True)
    premedication_given_at = models.DateTimeField(null=True, blank=True)
    premedication_note = models.CharField(max_length=200, blank=True)
    iv_access = models.CharField("IV access", max_length=120, blank=True)
    notes = models.TextField(blank=True)
    weight_entered_unit = models.CharField(max_length=2, choices=[("kg", "kg"), ("lb", "lb")], default="kg")
    # The nurse confirmed a weight far from the order's or the last recorded one (it was asked first).
    weight_confirmed = models.BooleanField(default=False)
    checklist_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    checklist_at = models.DateTimeField(null=True, blank=True)
    # Positive identification (docs/reference/identification.md s16): set only by a matching wristband scan or
    # two matching
    # identifiers (identity.py), which also fill identifier_1 and identifier_2.
    identity_confirmed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    identity_confirmed_at = models.DateTimeField(null=True, blank=True)

    # The plan this day follows, copied when the session starts so the record never changes under it.
    plan_day = models.JSONField(default=dict)
    rate_basis = models.JSONField(default=dict)
    active_steps = models.JSONField(default=list)  # the steps guiding now: the plan's, or a resume plan
    active_step_index = models.PositiveSmallIntegerField(default=0)
    first_or_switch_or_gap = models.BooleanField(default=True)
    volume_planned_ml = models.DecimalField(max_digits=7, decimal_places=1)

    started_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=300, blank=True)
    volume_given_ml = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    vials_wasted = models.PositiveSmallIntegerField(default=0)
    waste_reason = models.CharField(max_length=200, blank=True)
    discharged_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    discharged_at = models.DateTimeField(null=True, blank=True)
    education_given = models.BooleanField(default=False)
    diary_given = models.BooleanField(default=False)
    discharge_note = models.CharField(max_length=300, blank=True)
    followup_due_at = models.DateTimeField(null=True, blank=True)  # the 72-hour follow-up
    sent_back_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    sent_back_at = models.DateTimeField(null=True, blank=True)
    sent_back_reason = models.CharField(max_length=300, blank=True)

    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("administer_infusion", "Can run infusion sessions")]
        # The day's sessions (the infusion worklist, the home page) are found by these among years of history.
        indexes = [
            models.Index(fields=["created_at"], name="infusion_created_at"),
            models.Index(fields=["discharged_at"], name="infusion_discharged_at"),
        ]
        constraints = [
            paired("infusion", "checklist_by", "checklist_at"),
            paired("infusion", "identity_confirmed_by", "identity_confirmed_at"),
            paired("infusion", "started_by", "started_at"),
            paired("infusion", "ended_by", "ended_at"),
            paired("infusion", "discharged_by", "discharged_at"),
            paired("infusion", "sent_back_by", "sent_back_at"),
            models.CheckConstraint(condition=Q(version__gte=1), name="infusion_version_from_1"),
            models.CheckConstraint(condition=Q(day_number__gte=1), name="infusion_day_from_1"),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(started_at__isnull=False),
                name="infusion_ended_after_start",
            ),
            models.CheckConstraint(
                condition=Q(identifier_1="") | ~Q(identifier_1=models.F("identifier_2")),
                name="infusion_two_different_identifiers",
            ),
            models.UniqueConstraint(
                fields=["order", "day_number"],
                condition=~Q(status="sent_back"),
                name="infusion_one_session_per_order_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order.reference} day {self.day_number}"

    @property
    def is_home(self) -> bool:
        return self.setting == self.Setting.HOME

    @property
    def identity_confirmed(self) -> bool:
        return self.identity_confirmed_at is not None


class IdentityCheck(models.Model):
    """One attempt to identify the patient at the bedside; refused attempts are kept with the reason."""

    class Entry(models.TextChoices):
        SCAN = "scan", "Wristband scanned"
        TYPED = "typed", "Identifiers checked"

    session = models.ForeignKey(InfusionSession, on_delete=models.CASCADE, related_name="identity_checks")
    entry = models.CharField(max_length=6, choices=Entry.choices)
    raw = models.CharField(max_length=200, blank=True)  # what the scanner typed
    mrn_read = models.CharField(max_length=40, blank=True)
    identifiers = models.JSONField(default=list)  # InfusionSession.Identifier values checked
    accepted = models.BooleanField()
    refusal = models.CharField(max_length=300, blank=True)
    checked_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField()

    class Meta:
        ordering = ["checked_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted=True, refusal="") | Q(accepted=False) & ~Q(refusal=""),
                name="identitycheck_refusal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_entry_display()} ({'accepted' if self.accepted else 'refused'})"


class RateSegment(LastUpdated):
    """A pump rate from `started_at` until the next change (`ended_at`); 0 mL/h while paused."""

    class Kind(models.TextChoices):
        START = "start", "Started"
        INCREASE = "increase", "Stepped up"
        DECREASE = "decrease", "Lowered"
        HOLD = "hold", "Held"
        PAUSE = "pause", "Paused"
        RESUME = "resume", "Resumed"

    session = models.ForeignKey(InfusionSession, on_delete=models.CASCADE, related_name="segments")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    rate_ml_per_h = models.DecimalField(max_digits=7, decimal_places=2)
    planned_rate_ml_per_h = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["started_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(rate_ml_per_h__gte=0), name="segment_rate_not_negative"),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="segment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rate_ml_per_h} mL/h from {self.started_at:%H:%M}"


class VialScan(models.Model):
    """One vial scanned (or typed) at the bedside; refused scans are kept with the reason."""

    session = models.ForeignKey(InfusionSession, on_delete=models.CASCADE, related_name="scans")
    entry = models.CharField(max_length=6, choices=[("scan", "Scanned"), ("typed", "Typed")])
    raw = models.CharField(max_length=200, blank=True)
    gtin = models.CharField(max_length=14, blank=True)
    lot_number = models.CharField(max_length=20, blank=True)
    expiry_date = models.DateField(null=True, blank=True)
    serial = models.CharField(max_length=20, blank=True)
    lot = models.ForeignKey(Lot, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    accepted = models.BooleanField()
    refusal = models.CharField(max_length=300, blank=True)
    scanned_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    scanned_at = models.DateTimeField()

    class Meta:
        ordering = ["scanned_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted=False, lot__isnull=True)
                | Q(accepted=True, lot__isnull=False, refusal=""),
                name="vialscan_accepted_has_lot_refused_has_none",
            ),
            models.CheckConstraint(
                condition=Q(accepted=True) | ~Q(refusal=""), name="vialscan_refusal_has_reason"
            ),
        ]
        indexes = [
            # The recall lookback counts a lot's accepted scans to check its receipt register
            # (ivig.hemovigilance.receipts) from this index alone.
            models.Index(fields=["lot"], condition=Q(accepted=True), name="vialscan_accepted_lot"),
        ]

    def __str__(self) -> str:
        return f"{self.lot_number or self.raw} ({'accepted' if self.accepted else 'refused'})"


class VitalSigns(LastUpdated):
    session = models.ForeignKey(InfusionSession, on_delete=models.CASCADE, related_name="vitals")
    taken_at = models.DateTimeField()
    check_kind = models.CharField(
        max_length=16, choices=[(k.value, k.value.replace("_", " ")) for k in CheckKind], blank=True
    )
    temperature_c = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    temperature_entered_unit = models.CharField(max_length=1, choices=[("C", "°C"), ("F", "°F")], default="C")
    heart_rate = models.PositiveSmallIntegerField(null=True, blank=True)
    systolic = models.PositiveSmallIntegerField(null=True, blank=True)
    diastolic = models.PositiveSmallIntegerField(null=True, blank=True)
    respiratory_rate = models.PositiveSmallIntegerField(null=True, blank=True)
    spo2 = models.PositiveSmallIntegerField("SpO2", null=True, blank=True)
    # NEWS2 needs these two (docs/reference/monitoring.md s14); blank or null: not recorded, never read as
    # normal.
    consciousness = models.CharField(
        max_length=12, choices=[(c.value, text) for c, text in CONSCIOUSNESS_LABELS.items()], blank=True
    )
    on_oxygen = models.BooleanField("on oxygen", null=True, blank=True)
    flags = models.JSONField(default=list, blank=True)  # out-of-range messages when recorded
    news2 = models.JSONField(
        null=True, blank=True
    )  # the NEWS2 score as shown when recorded; null: not scored
    note = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["taken_at", "id"]
        verbose_name_plural = "vital signs"
        constraints = [
            models.CheckConstraint(
                condition=Q(temperature_c__isnull=False)
                | Q(heart_rate__isnull=False)
                | Q(systolic__isnull=False)
                | Q(respiratory_rate__isnull=False)
                | Q(spo2__isnull=False),
                name="vitalsigns_has_a_value",
            ),
            both_or_neither("systolic", "diastolic", name="vitalsigns_blood_pressure_pair"),
        ]

    def __str__(self) -> str:
        return f"vital signs at {self.taken_at:%H:%M}"


class Reaction(models.Model):
    session = models.ForeignKey(InfusionSession, on_delete=models.CASCADE, related_name="reactions")
    onset_at = models.DateTimeField()
    symptoms = models.JSONField(default=list)  # clinical.infusion.reactions.Symptom values
    other_symptoms = models.CharField(max_length=200, blank=True)
    grade = models.PositiveSmallIntegerField(choices=[(g.value, f"Grade {g.value}") for g in Grade])
    anaphylaxis_suspected = models.BooleanField(default=False)
    rate_at_onset_ml_per_h = models.DecimalField(max_digits=7, decimal_places=2)
    guidance = models.JSONField(default=dict)  # what the clinical core advised, as shown
    settled_at = models.DateTimeField(null=True, blank=True)
    settled_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    resume_plan = models.JSONField(null=True, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["onset_at", "id"]
        constraints = [
            paired("reaction", "settled_by", "settled_at"),
            models.CheckConstraint(condition=Q(grade__gte=1, grade__lte=5), name="reaction_ctcae_grade"),
        ]

    def __str__(self) -> str:
        return f"grade {self.grade} reaction at {self.onset_at:%H:%M}"

    def symptom_labels(self) -> list[str]:
        labels = {s.value: text for s, text in SYMPTOM_LABELS.items()}
        named = [labels.get(s, s) for s in self.symptoms if s != "other"]
        return named + ([self.other_symptoms] if self.other_symptoms else [])


class ReactionAction(models.Model):
    """A treatment or step taken for a reaction, and when."""

    reaction = models.ForeignKey(Reaction, on_delete=models.CASCADE, related_name="actions")
    at = models.DateTimeField()
    description = models.CharField(max_length=300)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%H:%M} {self.description}"


class AdverseEvent(models.Model):
    """An adverse event from an infusion, tied to the patient, order and lots (hemovigilance builds on it)."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="adverse_events")
    order = models.ForeignKey(TherapyOrder, on_delete=models.PROTECT, related_name="adverse_events")
    session = models.ForeignKey(InfusionSession, on_delete=models.PROTECT, related_name="adverse_events")
    reaction = models.OneToOneField(Reaction, on_delete=models.PROTECT, related_name="adverse_event")
    lots = models.ManyToManyField(Lot, related_name="adverse_events", blank=True)
    onset_at = models.DateTimeField()
    grade = models.PositiveSmallIntegerField()
    description = models.CharField(max_length=500)
    serious = models.BooleanField(default=False)  # CTCAE grade 3 or more, or anaphylaxis
    reported_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField()

    class Meta:
        ordering = ["-onset_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(grade__gte=1, grade__lte=5), name="adverseevent_ctcae_grade"),
        ]

    def __str__(self) -> str:
        return f"Adverse event grade {self.grade}, {self.order.reference}"


class InfusionEvent(models.Model):
    """One line of the record's event table: what happened, when it happened, who recorded it."""

    session = models.ForeignKey(InfusionSession, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()  # when it happened (may be earlier than when it was entered)
    kind = models.CharField(max_length=30)
    summary = models.CharField(max_length=300)
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%H:%M} {self.kind}"


class VitalSignRange(models.Model):
    """The site's expected range of one vital sign for an age band; the reference gives none."""

    measure = models.CharField(max_length=20, choices=[(m.value, info.label) for m, info in MEASURES.items()])
    min_age_years = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    max_age_years = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, help_text="Blank: no upper age."
    )
    low = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    high = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    source = models.CharField(
        max_length=200, help_text="Who decided this range (a site protocol, a committee)."
    )

    class Meta:
        ordering = ["measure", "min_age_years"]
        constraints = [
            models.CheckConstraint(
                condition=Q(low__isnull=False) | Q(high__isnull=False), name="vitalrange_has_limit"
            ),
            models.CheckConstraint(
                condition=Q(low__isnull=True) | Q(high__isnull=True) | Q(low__lt=models.F("high")),
                name="vitalrange_low_below_high",
            ),
            models.CheckConstraint(
                condition=Q(max_age_years__isnull=True) | Q(max_age_years__gt=models.F("min_age_years")),
                name="vitalrange_age_band",
            ),
            models.CheckConstraint(condition=~Q(source=""), name="vitalrange_has_source"),
        ]

    def __str__(self) -> str:
        upper = f"{self.max_age_years:g}" if self.max_age_years is not None else "+"
        return f"{self.get_measure_display()} {self.min_age_years:g}-{upper} y: {self.low}-{self.high}"


class Spo2ScaleChoice(models.Model):
    """A clinician's choice of SpO2 scale 2 for one patient (confirmed hypercapnic respiratory failure)."""

    patient = models.OneToOneField(Patient, on_delete=models.CASCADE, related_name="spo2_scale_choice")
    scale = models.PositiveSmallIntegerField(
        "SpO2 scale", choices=[(s.value, f"Scale {s.value}") for s in Spo2Scale], default=Spo2Scale.TWO.value
    )
    reason = models.CharField(
        max_length=200, help_text="Why, e.g. confirmed hypercapnic respiratory failure, target 88-92 %."
    )
    chosen_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    chosen_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "NEWS2 SpO2 scale for a patient"
        constraints = [
            models.CheckConstraint(condition=Q(scale__in=[1, 2]), name="spo2scalechoice_scale_1_or_2"),
            models.CheckConstraint(condition=~Q(reason=""), name="spo2scalechoice_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.patient}: SpO2 scale {self.scale}"

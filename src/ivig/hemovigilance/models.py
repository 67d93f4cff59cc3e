"""Hemovigilance: who received a lot (recall lookback) and the register of adverse-event reports.

This app sits above inventory, orders, the flowsheet and the follow-up: it reads all of them, and none of them
imports it (they send signals), so it can gather everything about a lot or a reaction without an import cycle.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from ivig.audit.constraints import paired
from ivig.followup.models import DiaryReaction
from ivig.infusions.models import AdverseEvent, InfusionSession
from ivig.inventory.models import Lot
from ivig.lib.models import LastUpdated
from ivig.orders.models import TherapyOrder
from ivig.patients.models import Patient

USER = settings.AUTH_USER_MODEL


class RecallLot(Lot):
    """A lot seen from a recall; a proxy (no table of its own) that carries the lookback permission."""

    class Meta:
        proxy = True
        default_permissions = ()
        permissions = [("run_lookback", "Can find every patient who received a lot")]


class LotReceipt(models.Model):
    """Vials of one lot that reached one patient: a dispensing for an order, or one accepted bedside scan.

    A register derived from the dispensings and the flowsheet, kept by `ivig.hemovigilance.receipts` (never
    written anywhere else), so the recall lookback reads one index instead of joining four tables per vial.
    It holds what the lookback shows of the order and the infusion (copied when they change); who the
    patient is and how to reach them stay in the patient's row, read fresh on every lookback.
    """

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="+", db_index=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+", db_index=False)
    order = models.ForeignKey(TherapyOrder, on_delete=models.CASCADE, related_name="+")
    # The infusion whose bedside scan this is; None for the pharmacy's dispensing.
    session = models.ForeignKey(InfusionSession, null=True, on_delete=models.CASCADE, related_name="+")
    vials = models.PositiveIntegerField()
    # When the patient had them: the order's dispensing, or the infusion's start (creation before it starts).
    at = models.DateTimeField(null=True)
    # The order's status for a dispensing, the infusion's for a scan (whether the vials may be unused).
    status = models.CharField(max_length=20)
    order_root = models.PositiveIntegerField()  # the series (or the order itself): the number people quote
    order_version = models.PositiveIntegerField()
    day_number = models.PositiveSmallIntegerField(null=True)
    setting = models.CharField(max_length=10, blank=True)
    location = models.CharField(max_length=120, blank=True)
    volume_given_ml = models.DecimalField(max_digits=7, decimal_places=1, null=True)
    # Grams in the vials accepted earlier in the same infusion: decides how much of this one was given.
    grams_before_g = models.DecimalField(max_digits=9, decimal_places=2, null=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(vials__gte=1), name="lotreceipt_at_least_one_vial"),
        ]
        indexes = [
            # The lookback reads a lot's receipts from this index alone on PostgreSQL (bench/lookback.py);
            # SQLite keeps the key and ignores the included columns.
            models.Index(
                fields=["lot"],
                include=[
                    "patient",
                    "order",
                    "session",
                    "vials",
                    "at",
                    "status",
                    "order_root",
                    "order_version",
                    "day_number",
                    "setting",
                    "location",
                    "volume_given_ml",
                    "grams_before_g",
                ],
                name="lotreceipt_lookback",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vials} x lot {self.lot_id} to patient {self.patient_id}"


# The "serious" outcomes of Form FDA 3500 section B2 ("Outcome attributed to adverse event"); the field
# names of AdverseEventReport and their labels, in the form's order.
SERIOUSNESS_CRITERIA: tuple[tuple[str, str], ...] = (
    ("serious_death", "Death"),
    ("serious_life_threatening", "Life-threatening"),
    ("serious_hospitalisation", "Hospitalisation (initial or prolonged)"),
    ("serious_disability", "Disability or permanent damage"),
    ("serious_congenital_anomaly", "Congenital anomaly or birth defect"),
    ("serious_intervention", "Required intervention to prevent permanent impairment or damage"),
    ("serious_other", "Other serious (important medical event)"),
)


def _any_criterion() -> Q:
    condition = Q()
    for name, _label in SERIOUSNESS_CRITERIA:
        condition |= Q(**{name: True})
    return condition


def _no_criterion() -> Q:
    return Q(**{name: False for name, _label in SERIOUSNESS_CRITERIA})


class AdverseEventReport(LastUpdated):
    """One entry of the adverse-event register that Quality reviews and reports to the regulator.

    It is opened automatically from a reaction recorded on the infusion flowsheet (infusions.AdverseEvent)
    or a reaction the care team confirmed from the 72-hour diary (followup.DiaryReaction). The same reaction
    reported both ways is one event: the diary reaction joins the infusion's open report, which then lists
    both sources.
    """

    class Status(models.TextChoices):
        NEW = "new", "New"
        IN_REVIEW = "in_review", "In review"
        REVIEWED = "reviewed", "Reviewed"
        REPORTED = "reported", "Reported to the regulator"
        CLOSED = "closed", "Closed, not reportable"

    class Outcome(models.TextChoices):
        RECOVERED = "recovered", "Recovered or resolved"
        RECOVERING = "recovering", "Recovering or resolving"
        NOT_RECOVERED = "not_recovered", "Not recovered or not resolved"
        SEQUELAE = "sequelae", "Recovered with sequelae"
        FATAL = "fatal", "Fatal"
        UNKNOWN = "unknown", "Unknown"

    class Causality(models.TextChoices):
        # WHO-UMC system for standardised case causality assessment.
        CERTAIN = "certain", "Certain"
        PROBABLE = "probable", "Probable or likely"
        POSSIBLE = "possible", "Possible"
        UNLIKELY = "unlikely", "Unlikely"
        CONDITIONAL = "conditional", "Conditional or unclassified"
        UNASSESSABLE = "unassessable", "Unassessable or unclassifiable"

    class Challenge(models.TextChoices):
        # Form FDA 3500 section D: "Event abated after use stopped or dose reduced?" and "Event reappeared
        # after reintroduction?"
        YES = "yes", "Yes"
        NO = "no", "No"
        NOT_APPLICABLE = "na", "Does not apply"

    flowsheet_event = models.OneToOneField(
        AdverseEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="report"
    )
    diary_reaction = models.OneToOneField(
        DiaryReaction, null=True, blank=True, on_delete=models.PROTECT, related_name="report"
    )
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="adverse_event_reports")
    order = models.ForeignKey(TherapyOrder, on_delete=models.PROTECT, related_name="adverse_event_reports")
    product_slug = models.CharField("product", max_length=60, blank=True, db_index=True)
    lots = models.ManyToManyField(Lot, blank=True, related_name="adverse_event_reports")
    onset_at = models.DateTimeField()
    description = models.CharField(max_length=500)
    grade = models.PositiveSmallIntegerField("CTCAE grade")
    serious = models.BooleanField(default=False)  # any of the criteria below (a database rule)
    serious_death = models.BooleanField(default=False)
    serious_life_threatening = models.BooleanField(default=False)
    serious_hospitalisation = models.BooleanField(default=False)
    serious_disability = models.BooleanField(default=False)
    serious_congenital_anomaly = models.BooleanField(default=False)
    serious_intervention = models.BooleanField(default=False)
    serious_other = models.BooleanField(default=False)
    died_on = models.DateField("date of death", null=True, blank=True)
    outcome = models.CharField(max_length=14, choices=Outcome.choices, default=Outcome.UNKNOWN)
    causality = models.CharField(max_length=14, choices=Causality.choices, blank=True)
    dechallenge = models.CharField(max_length=3, choices=Challenge.choices, blank=True)
    rechallenge = models.CharField(max_length=3, choices=Challenge.choices, blank=True)
    reviewer_notes = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW, db_index=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    review_started_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_started_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reported_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(null=True, blank=True)
    regulator_reported_on = models.DateField("date reported to the regulator", null=True, blank=True)
    regulator_reference = models.CharField("regulator's reference", max_length=60, blank=True)
    closed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.CharField("reason it is not reportable", max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-onset_at", "-id"]
        default_permissions = ()
        permissions = [
            ("view_adverse_events", "Can see the adverse-event register"),
            ("review_adverse_events", "Can review adverse events and report them to the regulator"),
        ]
        indexes = [models.Index(fields=["onset_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(flowsheet_event__isnull=False) | Q(diary_reaction__isnull=False),
                name="aereport_has_a_source",
            ),
            models.CheckConstraint(condition=Q(grade__gte=1, grade__lte=5), name="aereport_ctcae_grade"),
            models.CheckConstraint(
                condition=(Q(serious=True) & _any_criterion()) | (Q(serious=False) & _no_criterion()),
                name="aereport_serious_means_a_criterion",
            ),
            models.CheckConstraint(
                condition=Q(died_on__isnull=True) | Q(serious_death=True),
                name="aereport_death_date_if_died",
                violation_error_message="A date of death goes with the seriousness criterion 'Death'.",
            ),
            paired("aereport", "review_started_by", "review_started_at"),
            paired("aereport", "reviewed_by", "reviewed_at"),
            paired("aereport", "reported_by", "reported_at"),
            paired("aereport", "closed_by", "closed_at"),
            models.CheckConstraint(
                condition=~Q(status="reported")
                | (
                    Q(reported_at__isnull=False, regulator_reported_on__isnull=False)
                    & ~Q(regulator_reference="")
                ),
                name="aereport_reported_has_date_and_reference",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | (Q(closed_at__isnull=False) & ~Q(closed_reason="")),
                name="aereport_closed_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["new", "in_review"]) | Q(reviewed_at__isnull=False),
                name="aereport_reviewed_before_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.description[:60]}"

    @property
    def reference(self) -> str:
        return f"AE-{self.pk:06d}"

    @property
    def source_label(self) -> str:
        if self.flowsheet_event_id and self.diary_reaction_id:
            return "Infusion flowsheet and follow-up diary"
        return "Infusion flowsheet" if self.flowsheet_event_id else "Follow-up diary"

    @property
    def severity(self) -> str:
        """mild, moderate or severe (FHIR AdverseEvent.severity) from the CTCAE grade."""
        return "mild" if self.grade <= 1 else "moderate" if self.grade == 2 else "severe"

    def criteria_labels(self) -> list[str]:
        return [label for name, label in SERIOUSNESS_CRITERIA if getattr(self, name)]

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.NEW, self.Status.IN_REVIEW)

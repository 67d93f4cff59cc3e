"""Therapy orders, the criteria each indication must meet, approvals, and what was dispensed for an order.

An order is one course (one or more consecutive days). Once signed it is never overwritten: a change is a new
version (`previous` points at the one it replaces, `series` at the first), and the old one is cancelled when
the new one is signed. Who did what and when is kept in paired fields that the database checks together.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from ivig.audit.constraints import paired
from ivig.clinical.catalog.model import Indication
from ivig.clinical.regimens import all_regimens
from ivig.inventory.models import Lot, StockMovement
from ivig.lib.models import LastUpdated
from ivig.patients.models import LabResult, Patient
from ivig.siteconfig.shortage import Category, Phase, ShortagePhaseDeclaration

USER = settings.AUTH_USER_MODEL

INDICATION_CHOICES = [
    (Indication.PI.value, "Primary immunodeficiency"),
    (Indication.SID.value, "Secondary immunodeficiency"),
    (Indication.ITP.value, "Immune thrombocytopenia (ITP)"),
    (Indication.KAWASAKI.value, "Kawasaki disease"),
    (Indication.CIDP.value, "CIDP"),
    (Indication.GBS.value, "Guillain-Barre syndrome"),
    (Indication.MMN.value, "Multifocal motor neuropathy"),
    (Indication.DM.value, "Dermatomyositis"),
]


def regimen_choices() -> list[tuple[str, str]]:
    return [(regimen.id, regimen.name) for regimen in all_regimens().values()]


class IndicationCriteria(models.Model):
    """One version of what an indication needs: baseline labs, review interval, approval. Never edited."""

    indication = models.CharField(max_length=12, choices=INDICATION_CHOICES)
    version = models.PositiveIntegerField()
    # LabResult kinds that must be on the order, taken within `baseline_max_age_days` of signing.
    required_labs = models.JSONField(default=list, blank=True)
    baseline_max_age_days = models.PositiveIntegerField(default=90)
    review_interval_days = models.PositiveIntegerField(null=True, blank=True)
    approval_required = models.BooleanField(default=False)
    # How long an approval lasts unless the approver sets an earlier end date.
    approval_days = models.PositiveIntegerField(default=182)
    source = models.CharField(max_length=300)
    effective_from = models.DateField()
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["indication", "-version"]
        verbose_name_plural = "indication criteria"
        permissions = [("manage_criteria", "Can add versions of indication criteria")]
        constraints = [
            models.UniqueConstraint(fields=["indication", "version"], name="criteria_one_per_version"),
            models.CheckConstraint(condition=Q(version__gte=1), name="criteria_version_from_1"),
            models.CheckConstraint(condition=Q(approval_days__gte=1), name="criteria_approval_days_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_indication_display()} criteria v{self.version}"

    @classmethod
    def current(cls, indication: str, day: date) -> IndicationCriteria | None:
        return cls.objects.filter(indication=indication, effective_from__lte=day).order_by("-version").first()

    def required_lab_labels(self) -> list[str]:
        labels = dict(LabResult.Kind.choices)
        return [labels.get(kind, kind) for kind in self.required_labs]


class TherapyOrder(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
        SIGNED = "signed", "Signed"
        VERIFIED = "verified", "Verified"
        DISPENSED = "dispensed", "Dispensed"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"
        REFUSED = "refused", "Authorisation refused"
        CANCELLED = "cancelled", "Cancelled"

    class Route(models.TextChoices):
        IV = "iv", "Intravenous"
        SC = "sc", "Subcutaneous"

    class WeightBasis(models.TextChoices):
        POLICY = "", "Site policy"
        ACTUAL = "actual", "Actual body weight"
        IDEAL = "ideal", "Ideal body weight"
        ADJUSTED = "adjusted", "Adjusted body weight"

    EDITABLE = (Status.DRAFT,)
    OPEN = (Status.DRAFT, Status.AWAITING_APPROVAL, Status.SIGNED, Status.VERIFIED)

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="orders")
    series = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # the first version; null on the first version itself
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_versions"
    )
    version = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)

    regimen = models.CharField(max_length=30)
    route = models.CharField(max_length=2, choices=Route.choices, default=Route.IV)
    product_slug = models.CharField(max_length=60, blank=True)  # blank: pharmacy chooses
    dose_g_per_kg = models.DecimalField(max_digits=5, decimal_places=3, null=True, blank=True)
    sc_dose_g = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    days = models.PositiveSmallIntegerField(null=True, blank=True)  # blank: the regimen's usual days
    repeat_interval_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    cycles = models.PositiveSmallIntegerField(null=True, blank=True)
    review_date = models.DateField(null=True, blank=True)
    weight_kg = models.DecimalField(max_digits=6, decimal_places=2)
    height_cm = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    weight_basis = models.CharField(max_length=10, choices=WeightBasis.choices, blank=True)
    weight_basis_reason = models.CharField(max_length=300, blank=True)
    # Before issue 16 one reason covered every override; kept (never migrated) so old orders show it.
    override_reason = models.CharField(max_length=300, blank=True)
    # The prescriber's written reason for each caution of the plan: {finding code: reason}.
    caution_reasons = models.JSONField(default=dict, blank=True)
    # The verifying pharmacist's acknowledgement of each caution: {finding code: {"by", "by_name", "at"}}.
    caution_acknowledgements = models.JSONField(default=dict, blank=True)
    # A lower maximum rate than the label's for this order; blank: the label's.
    max_rate_mg_per_kg_per_min = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    # Infuse the whole vials (the rounded dose) rather than the prescribed dose.
    accept_rounded_dose = models.BooleanField(default=False)
    # Pregnant patients may be dosed on their pre-pregnancy weight (docs/reference/dosing.md s6).
    pre_pregnancy_weight_kg = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    # Every risk factor the clinical core knows, as the prescriber answered them (orders/screening.py).
    screening = models.JSONField(default=dict, blank=True)
    labs = models.JSONField(default=dict, blank=True)  # kind -> {"value": "1.2", "taken_on": "2026-11-01"}
    premedication = models.TextField(blank=True)
    justification = models.TextField(blank=True)
    # The plan the prescriber saw when signing, and the one the pharmacist verified (clinical plan dicts).
    signed_plan = models.JSONField(null=True, blank=True)
    verified_plan = models.JSONField(null=True, blank=True)
    verified_product_slug = models.CharField(max_length=60, blank=True)
    verified_weight_kg = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    criteria = models.ForeignKey(
        IndicationCriteria, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approval_required = models.BooleanField(default=False)

    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    prescriber = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    verified_at = models.DateTimeField(null=True, blank=True)
    dispensed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    dispensed_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [
            ("prescribe", "Can write and sign therapy orders"),
            ("verify_order", "Can verify therapy orders"),
            ("approve_order", "Can decide on authorisations"),
        ]
        indexes = [
            models.Index(fields=["patient", "-created_at"]),
            # The nurses' "ready to start" list, first dispensed first: read in index order and stopped at
            # the page's length, however many orders the years have left dispensed (bench/load.py).
            models.Index(
                fields=["dispensed_at", "id"],
                condition=Q(status__in=["dispensed", "in_progress"]),
                name="therapyorder_ready_to_start",
            ),
        ]
        constraints = [
            paired("therapyorder", "prescriber", "signed_at"),
            paired("therapyorder", "verified_by", "verified_at"),
            paired("therapyorder", "dispensed_by", "dispensed_at"),
            paired("therapyorder", "cancelled_by", "cancelled_at"),
            # The independent double check: whoever verifies did not prescribe (issue 4).
            models.CheckConstraint(
                condition=Q(verified_by__isnull=True) | ~Q(verified_by=F("prescriber")),
                name="therapyorder_verifier_not_prescriber",
            ),
            models.CheckConstraint(
                condition=Q(verified_by__isnull=True) | Q(prescriber__isnull=False),
                name="therapyorder_verified_after_signed",
            ),
            models.CheckConstraint(
                condition=Q(dispensed_by__isnull=True) | Q(verified_by__isnull=False),
                name="therapyorder_dispensed_after_verified",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(prescriber__isnull=False) | Q(status="cancelled"),
                name="therapyorder_signed_unless_draft",
            ),
            models.CheckConstraint(condition=Q(weight_kg__gt=0), name="therapyorder_weight_positive"),
            models.CheckConstraint(
                condition=Q(dose_g_per_kg__isnull=True) | Q(dose_g_per_kg__gt=0),
                name="therapyorder_dose_positive",
            ),
            models.CheckConstraint(
                condition=Q(days__isnull=True) | Q(days__gte=1), name="therapyorder_days_positive"
            ),
            models.CheckConstraint(
                condition=Q(max_rate_mg_per_kg_per_min__isnull=True) | Q(max_rate_mg_per_kg_per_min__gt=0),
                name="therapyorder_max_rate_positive",
            ),
            models.CheckConstraint(
                condition=Q(pre_pregnancy_weight_kg__isnull=True) | Q(pre_pregnancy_weight_kg__gt=0),
                name="therapyorder_pre_pregnancy_weight_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"Order {self.reference}"

    @property
    def reference(self) -> str:
        """The number people quote: series and version, e.g. IG-000123 v2."""
        root = self.series_id or self.pk
        return f"IG-{root:06d} v{self.version}"

    @property
    def indication(self) -> str:
        regimen = all_regimens().get(self.regimen)
        return str(regimen.indication) if regimen else ""

    @property
    def regimen_name(self) -> str:
        regimen = all_regimens().get(self.regimen)
        return regimen.name if regimen else self.regimen

    @property
    def product_for_plan(self) -> str:
        return self.verified_product_slug or self.product_slug

    @property
    def plan(self) -> dict[str, Any] | None:
        return self.verified_plan or self.signed_plan

    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    def latest_authorisation(self) -> Authorisation | None:
        return self.authorisations.order_by("-decided_at", "-id").first()

    def authorised_on(self, day: date) -> bool:
        """Say whether the order may be dispensed on `day` as far as approval goes."""
        if not self.approval_required:
            return True
        decision = self.latest_authorisation()
        if decision is None or not decision.approved or decision.valid_until is None:
            return False
        return decision.valid_until >= day


class Authorisation(models.Model):
    """An approver's decision on an order that needs approval."""

    order = models.ForeignKey(TherapyOrder, on_delete=models.PROTECT, related_name="authorisations")
    approved = models.BooleanField()
    reason = models.CharField(max_length=500)
    valid_until = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved=False) | Q(valid_until__isnull=False),
                name="authorisation_approval_has_end_date",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="authorisation_has_reason"),
        ]

    def __str__(self) -> str:
        verdict = f"approved until {self.valid_until:%Y-%m-%d}" if self.approved else "refused"
        return f"{self.order.reference} {verdict}"


class DispensedLot(LastUpdated):
    """Vials of one lot dispensed for an order, tied to the stock ledger row that took them."""

    order = models.ForeignKey(TherapyOrder, on_delete=models.PROTECT, related_name="dispensed_lots")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="dispensed_for")
    quantity_vials = models.PositiveIntegerField()
    movement = models.OneToOneField(StockMovement, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity_vials__gte=1), name="dispensedlot_at_least_one"),
        ]
        indexes = [
            # Recall lookback (ivig.hemovigilance): a lot's dispensings as an index-only scan on PostgreSQL
            # (bench/lookback.py; INCLUDE is left out on SQLite, which keeps the (lot, order) index).
            models.Index(fields=["lot", "order"], include=["quantity_vials"], name="dispensedlot_lookback"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity_vials} x {self.lot}"

    @property
    def grams(self) -> Any:
        return self.quantity_vials * self.lot.product.vial_size_g


class OrderDeferral(models.Model):
    """A draft the shortage gate held back at signing (issue 20): the phase asked its indication's category to
    wait. Written after the refused signature rolled back (`ivig.orders.deferrals`), once per draft and phase
    declaration; the Supply page's report follows the draft to what happened next."""

    order = models.ForeignKey(TherapyOrder, on_delete=models.PROTECT, related_name="deferrals")
    declaration = models.ForeignKey(
        ShortagePhaseDeclaration, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # null: no phase was ever declared (Green by default)
    deferred_at = models.DateTimeField(db_index=True)
    deferred_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    phase = models.CharField(max_length=16)
    category = models.CharField(max_length=8, blank=True)  # blank: no category set
    indication = models.CharField(max_length=12)
    decision = models.CharField(max_length=10)
    message = models.TextField()

    class Meta:
        ordering = ["-deferred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.order} deferred {self.deferred_at:%Y-%m-%d} ({self.phase})"

    @property
    def phase_label(self) -> str:
        return str(Phase(self.phase).label) if self.phase in Phase.values else self.phase

    @property
    def category_label(self) -> str:
        if not self.category:
            return "no priority category set"
        return str(Category(self.category).label) if self.category in Category.values else self.category

"""Conservation proposals: drafts a prescriber may accept (a new order version) or decline, with the grams
each saves; and the notices that tell the nurses a patient's product changed in a shortage.

A proposal is never edited after it is decided. One draft per source order version and kind: generating
again for the same order adds nothing (`propose_for` is idempotent); a newer order supersedes old drafts.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum

from ivig.audit.constraints import paired
from ivig.lib.models import SingleRow
from ivig.orders.models import TherapyOrder
from ivig.patients.models import Patient

USER = settings.AUTH_USER_MODEL


class Kind(models.TextChoices):
    """The conservation measures of reference s15 (and Ontario's toolkit), plus product substitution."""

    LOWEST_DOSE = "lowest_dose", "Lowest effective dose, with a review"
    LONGER_INTERVAL = "longer_interval", "Longer interval between doses"
    TROUGH_GUIDED = "trough_guided", "Dose to the IgG trough (PK fit)"
    MOVE_TO_SCIG = "move_to_scig", "Move to subcutaneous immunoglobulin"
    LESS_WASTE = "less_waste", "Another product or vial mix that wastes less"
    SUBSTITUTION = "substitution", "Product substitution in a shortage"


class ProposalQuerySet(models.QuerySet["ConservationProposal"]):
    def drafts(self) -> ProposalQuerySet:
        return self.filter(status=ConservationProposal.Status.DRAFT)

    def accepted_between(self, since: date | None, until: date | None) -> ProposalQuerySet:
        rows = self.filter(status=ConservationProposal.Status.ACCEPTED)
        if since is not None:
            rows = rows.filter(decided_at__date__gte=since)
        if until is not None:
            rows = rows.filter(decided_at__date__lte=until)
        return rows

    def grams_saved_by_kind(self, since: date | None = None, until: date | None = None) -> dict[str, Decimal]:
        """Grams saved per 12 weeks by each measure, over the proposals accepted from `since` to `until`
        (inclusive, by the day of the decision). Every kind is present, zero when none was accepted."""
        totals = {kind: Decimal("0") for kind in Kind.values}
        rows = (
            self.accepted_between(since, until).values("kind").annotate(total=Sum("grams_saved_per_12_weeks"))
        )
        for row in rows:
            totals[row["kind"]] = row["total"] or Decimal("0")
        return totals

    def grams_saved(self, since: date | None = None, until: date | None = None) -> Decimal:
        total = self.accepted_between(since, until).aggregate(total=Sum("grams_saved_per_12_weeks"))["total"]
        return total or Decimal("0")


class ConservationProposal(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        SUPERSEDED = "superseded", "Superseded"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="conservation_proposals")
    # The order version the proposal changes; accepting makes its next version (or its next course).
    source_order = models.ForeignKey(TherapyOrder, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    # What changes; blank or null: as on the source order.
    route = models.CharField(max_length=2, choices=TherapyOrder.Route.choices, blank=True)
    product_slug = models.CharField(max_length=60, blank=True)
    dose_g_per_kg = models.DecimalField(max_digits=5, decimal_places=3, null=True, blank=True)
    sc_dose_g = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    repeat_interval_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    accept_rounded_dose = models.BooleanField(null=True, blank=True)
    # Grams the measure saves, as the clinical core counted them: per 12 weeks, so measures compare.
    current_g_per_12_weeks = models.DecimalField(max_digits=8, decimal_places=2)
    proposed_g_per_12_weeks = models.DecimalField(max_digits=8, decimal_places=2)
    grams_saved_per_12_weeks = models.DecimalField(max_digits=8, decimal_places=2)
    rationale = models.TextField()
    source = models.CharField(max_length=300, blank=True)  # the reference the measure rests on
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    declined_reason = models.CharField(max_length=300, blank=True)
    # The order the accepted proposal became (a new version of the source, or its next course).
    result_order = models.ForeignKey(
        TherapyOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="conservation_proposals"
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [
            ("propose_conservation", "Can generate conservation proposals and propose a product switch"),
        ]
        indexes = [models.Index(fields=["status", "decided_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["source_order", "kind"],
                condition=Q(status="draft"),
                name="conservation_one_draft_per_order_and_kind",
            ),
            paired("conservationproposal", "decided_by", "decided_at"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "superseded"]) | Q(decided_by__isnull=False),
                name="conservation_decided_has_who",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(declined_reason=""),
                name="conservation_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(result_order__isnull=False),
                name="conservation_accepted_has_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.source_order.reference}"

    def changes(self) -> dict[str, Any]:
        """The order fields this proposal sets, as the prescribing path takes them."""
        fields: dict[str, Any] = {}
        for name in ("route", "product_slug"):
            if getattr(self, name):
                fields[name] = getattr(self, name)
        for name in ("dose_g_per_kg", "sc_dose_g", "repeat_interval_weeks", "accept_rounded_dose"):
            if getattr(self, name) is not None:
                fields[name] = getattr(self, name)
        return fields


class SwitchNotice(models.Model):
    """Tells the nurses that a patient's product changed: first-infusion rates and the longer observation."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="switch_notices")
    order = models.ForeignKey(TherapyOrder, on_delete=models.PROTECT, related_name="+")
    from_product_slug = models.CharField(max_length=60, blank=True)
    to_product_slug = models.CharField(max_length=60)
    message = models.TextField()
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    seen_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [paired("switchnotice", "seen_by", "seen_at")]

    def __str__(self) -> str:
        return f"Product change for {self.order.reference}"


class ConservationPolicy(SingleRow):
    """The site's choices for the measures the clinical core proposes (its defaults are site decisions named
    in `ivig.clinical.supply.proposals`); kept by the Admin in the Django admin, each save audited there."""

    reduction_pct = models.PositiveSmallIntegerField(
        "dose-reduction trial: new dose as % of the current",
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text="Site decision: no source gives the step of a dose-reduction trial.",
    )
    review_after_weeks = models.PositiveSmallIntegerField(
        "review a reduced dose or a longer interval after (weeks)",
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
    )
    sc_factor = models.DecimalField(
        "IV-to-SC factor",
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.1"))],
        help_text="Blank: each SC product's label factor (reference s4). Set it where SC is dosed otherwise.",
    )
    source = models.CharField(
        "source of these choices",
        max_length=300,
        default="site decision (defaults shipped with ivig, not a national list)",
    )

    class Meta:
        verbose_name = "conservation policy"
        verbose_name_plural = "conservation policy"
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="conservation_policy_single_row")]

    def __str__(self) -> str:
        return "Conservation policy"

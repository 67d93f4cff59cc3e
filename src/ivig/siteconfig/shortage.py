"""Shortage management as site data: the declared phase, each indication's priority category, the phase rules.

Reference s15: the UK demand-management programme colours indications red/blue/grey/black; Canada's national
plan names the inventory phases Green, Green Advisory, Amber, Red and Recovery. Which indication has which
colour,
and what each phase asks of each colour, is not a clinical fact the app may assume: the site (or its region)
sets it, with its source. Rows are never edited: a new declaration or assignment is a new row, so the history
is the table itself. Writes go through `ivig.siteconfig.shortage_actions` (audited).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from ivig.clinical.catalog.model import Indication
from ivig.clinical.supply import Category as CoreCategory
from ivig.clinical.supply import (
    OrderDecision,
    OrderOutcome,
    PhaseRule,
    PhaseRules,
    PhaseThresholds,
    decide_order,
)
from ivig.clinical.supply import Phase as CorePhase
from ivig.lib.models import SingleRow
from ivig.siteconfig.shortage_defaults import DEFAULT_RULES, UNASSIGNED

USER = settings.AUTH_USER_MODEL

FRAMEWORK_SOURCE = (
    "Phases: Canada, National Plan for Management of Shortages of Immunoglobulin Products (2020); "
    "categories: UK DH clinical guidelines for immunoglobulin use, 2nd ed. 2008, update 2011 (reference s15)"
)

INDICATION_LABELS = {
    Indication.PI.value: "Primary immunodeficiency",
    Indication.SID.value: "Secondary immunodeficiency",
    Indication.ITP.value: "Immune thrombocytopenia (ITP)",
    Indication.KAWASAKI.value: "Kawasaki disease",
    Indication.CIDP.value: "CIDP",
    Indication.GBS.value: "Guillain-Barre syndrome",
    Indication.MMN.value: "Multifocal motor neuropathy",
    Indication.DM.value: "Dermatomyositis",
}


class Phase(models.TextChoices):
    GREEN = "green", "Green"
    GREEN_ADVISORY = "green-advisory", "Green Advisory"
    AMBER = "amber", "Amber"
    RED = "red", "Red"
    RECOVERY = "recovery", "Recovery"


class Category(models.TextChoices):
    RED = "red", "Red (high priority)"
    BLUE = "blue", "Blue (medium priority)"
    GREY = "grey", "Grey (low priority)"
    BLACK = "black", "Black (not appropriate)"


class Decision(models.TextChoices):
    PROCEED = "proceed", "Proceed"
    APPROVAL = "needs-approval", "Needs approval"
    WAIT = "wait", "Waits"
    NEVER = "not-prescribed", "Not prescribed"


class Scope(models.TextChoices):
    SITE = "site", "This site"
    REGION = "region", "The region"


class ShortagePhaseDeclaration(models.Model):
    """The phase the site (or its region) declared, from `declared_at` until the next declaration."""

    phase = models.CharField(max_length=16, choices=Phase.choices)
    reason = models.CharField(max_length=500)
    scope = models.CharField("declared by", max_length=6, choices=Scope.choices, default=Scope.SITE)
    authority = models.CharField(
        max_length=200, blank=True, help_text="For a regional declaration: the committee that declared it."
    )
    declared_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-declared_at", "-id"]
        permissions = [("declare_shortage_phase", "Can declare the shortage phase")]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="shortage_phase_has_reason")]

    def __str__(self) -> str:
        return f"{self.get_phase_display()} from {self.declared_at:%Y-%m-%d %H:%M}"

    @classmethod
    def current(cls) -> ShortagePhaseDeclaration | None:
        return cls.objects.select_related("declared_by").order_by("-declared_at", "-id").first()


def current_phase() -> str:
    """The declared phase; Green when none has ever been declared."""
    latest = ShortagePhaseDeclaration.current()
    return latest.phase if latest else Phase.GREEN.value


class PriorityCategoryAssignment(models.Model):
    """One indication's priority colour, as the site or region set it, with the text it comes from."""

    indication = models.CharField(max_length=12, choices=list(INDICATION_LABELS.items()))
    category = models.CharField(max_length=8, choices=Category.choices)
    source = models.CharField(max_length=300)
    scope = models.CharField("set by", max_length=6, choices=Scope.choices, default=Scope.SITE)
    assigned_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField()

    class Meta:
        ordering = ["indication", "-assigned_at", "-id"]
        constraints = [models.CheckConstraint(condition=~Q(source=""), name="priority_category_has_source")]
        indexes = [models.Index(fields=["indication", "-assigned_at"])]

    def __str__(self) -> str:
        return f"{self.get_indication_display()}: {self.category}"


def current_categories() -> dict[str, PriorityCategoryAssignment]:
    """Each indication's latest assignment (indications never assigned are absent). One query."""
    latest: dict[str, PriorityCategoryAssignment] = {}
    for row in PriorityCategoryAssignment.objects.select_related("assigned_by").order_by(
        "indication", "-assigned_at", "-id"
    ):
        latest.setdefault(row.indication, row)
    return latest


def _default_rules() -> dict[str, dict[str, str]]:
    return {phase: dict(row) for phase, row in DEFAULT_RULES.items()}


def _days(label: str, default: int, help_text: str) -> models.PositiveIntegerField[Any, Any]:
    return models.PositiveIntegerField(
        label, default=default, validators=[MinValueValidator(1)], help_text=help_text
    )


class ShortagePolicy(SingleRow):
    """What each phase asks of each category, and the days of stock that suggest a phase change.

    The defaults are a site decision (docs/supply.md), not the national plans' text: a site sets its own.
    """

    # {phase: {category or "unassigned": "proceed" | "needs-approval" | "wait"}}; black is never prescribed.
    rules = models.JSONField(default=_default_rules)
    advisory_below_days = _days(
        "suggest Green Advisory below (days of stock)", 28, "Overall days of stock under which to suggest it."
    )
    amber_below_days = _days("suggest Amber below (days of stock)", 14, "")
    red_below_days = _days("suggest Red below (days of stock)", 7, "")
    source = models.CharField(
        "source of these rules",
        max_length=300,
        default="site decision (defaults shipped with ivig, not a national list)",
    )

    class Meta:
        verbose_name = "shortage policy"
        verbose_name_plural = "shortage policy"
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="shortage_policy_single_row")]

    def __str__(self) -> str:
        return "Shortage policy"

    def phase_rules(self) -> PhaseRules:
        """The site's rules as the supply core's (a phase or category missing from the row: the default)."""
        rules = []
        for phase in CorePhase:
            row = DEFAULT_RULES[phase.value] | (self.rules.get(phase.value) or {})
            outcomes = {
                category: OrderOutcome(row[category.value])
                for category in (CoreCategory.RED, CoreCategory.BLUE, CoreCategory.GREY)
            } | {CoreCategory.BLACK: OrderOutcome.NOT_PRESCRIBED}
            rules.append(PhaseRule(phase, outcomes, OrderOutcome(row[UNASSIGNED]), source=self.source))
        return PhaseRules(tuple(rules))

    def thresholds(self) -> PhaseThresholds:
        return PhaseThresholds(
            green_advisory_below_days=self.advisory_below_days,
            amber_below_days=self.amber_below_days,
            red_below_days=self.red_below_days,
            source=self.source,
        )

    def order_decision(self, phase: str, category: str | None) -> OrderDecision:
        """The supply core's decision for an order of `category` in `phase` under these rules."""
        known = CoreCategory(category) if category and category != UNASSIGNED else None
        return decide_order(known, CorePhase(phase), self.phase_rules())

    def decision(self, phase: str, category: str | None) -> str:
        """What an order of `category` needs in `phase`: proceed, needs-approval, wait or not-prescribed."""
        return self.order_decision(phase, category).outcome.value

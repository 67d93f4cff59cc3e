"""The centre's own settings (one row) and its care sites."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords

from ivig.clinical.catalog.model import Fact, FactStatus
from ivig.clinical.pk.doses import ScAbsorption
from ivig.clinical.settings import (
    CEILING_SOURCE,
    LABEL_MAX_G_PER_KG_PER_28_DAYS,
    LABEL_MAX_G_PER_KG_PER_DAY,
    LABEL_MAX_ML_PER_KG_PER_DAY,
    LONGEST_INFUSION_H_PER_DAY,
    DosingSettings,
    RoundingRule,
    WeightPolicy,
)
from ivig.lib.models import LastUpdated, SingleRow

_CORE = DosingSettings()


def _ceiling(value: float) -> MaxValueValidator:
    """A site may lower a label-derived hard limit, never raise it."""
    return MaxValueValidator(
        Decimal(str(value)), f"At most %(limit_value)s: the label-derived ceiling ({CEILING_SOURCE})."
    )


def _limit(label: str, default: float, ceiling: float, help_text: str) -> models.DecimalField[Any, Any]:
    return models.DecimalField(
        label,
        max_digits=6,
        decimal_places=2,
        default=Decimal(str(default)),
        validators=[MinValueValidator(Decimal("0.01")), _ceiling(ceiling)],
        help_text=help_text,
    )


def _optional(
    label: str, *, digits: tuple[int, int], minimum: str, help_text: str, **options: Any
) -> models.DecimalField[Any, Any]:
    """A number the site may leave blank (the help text says what blank means); `digits`: (max, decimals)."""
    max_digits, decimal_places = digits
    return models.DecimalField(
        label,
        max_digits=max_digits,
        decimal_places=decimal_places,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(minimum))],
        help_text=help_text,
        **options,
    )


def _percent(label: str, default: float) -> models.DecimalField[Any, Any]:
    return models.DecimalField(
        label,
        max_digits=5,
        decimal_places=1,
        default=Decimal(str(default)),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )


TEMPERATURE_UNITS = [("C", "°C (Celsius)"), ("F", "°F (Fahrenheit)")]

phone_validator = RegexValidator(
    r"^[0-9+()\-. x]{5,30}$", "Enter a phone number using digits, spaces, +, -, ( ) or x for an extension."
)


class SiteSettings(SingleRow):
    """Settings shown to patients and staff. There is exactly one row (pk=1)."""

    centre_name = models.CharField(max_length=120, default="Immunoglobulin Infusion Centre")
    phone_appointments = models.CharField(
        "appointments and referrals phone", max_length=30, blank=True, validators=[phone_validator]
    )
    phone_nurse_line = models.CharField("nurse line", max_length=30, blank=True, validators=[phone_validator])
    phone_after_hours = models.CharField(
        "after-hours phone", max_length=30, blank=True, validators=[phone_validator]
    )
    address = models.TextField(blank=True)
    # Dosing policy (the clinical core's DosingSettings). Defaults are the core's; every choice names its
    # source there (docs/reference/dosing.md s6). A site may tighten, never loosen, a label limit.
    weight_policy = models.CharField(
        "dosing weight policy",
        max_length=12,
        choices=[(p.value, p.value.capitalize()) for p in WeightPolicy],
        default=WeightPolicy.ACTUAL.value,
    )
    rounding_rule = models.CharField(
        "vial rounding rule",
        max_length=14,
        choices=[(r.value, r.value.replace("-", " ").capitalize()) for r in RoundingRule],
        default=RoundingRule.NEAREST_VIAL.value,
    )
    max_dose_g_per_day = _optional(
        "largest dose on one day (g)",
        digits=(6, 1),
        minimum="1",
        help_text="Blank: no site limit. Longer courses are split evenly under it.",
    )
    risk_rate_cap_mg_per_kg_per_min = _optional(
        "rate cap for thrombosis or renal risk (mg/kg/min)",
        digits=(5, 2),
        minimum="0.1",
        help_text="Blank: the label's own cap. The lower of the two applies.",
    )
    # Hard limits (stop): defaults are the clinical core's label-derived ceilings, which no site may exceed.
    max_g_per_kg_per_day = _limit(
        "hard limit: g/kg in one day",
        _CORE.max_g_per_kg_per_day,
        LABEL_MAX_G_PER_KG_PER_DAY,
        f"At most {LABEL_MAX_G_PER_KG_PER_DAY:g}. No reason unlocks it.",
    )
    max_g_per_kg_per_28_days = _limit(
        "hard limit: g/kg in 28 days",
        _CORE.max_g_per_kg_per_28_days,
        LABEL_MAX_G_PER_KG_PER_28_DAYS,
        f"At most {LABEL_MAX_G_PER_KG_PER_28_DAYS:g}. Counts doses dispensed in the 28 days before.",
    )
    max_ml_per_kg_per_day = _limit(
        "hard limit: mL/kg in one day",
        _CORE.max_ml_per_kg_per_day,
        LABEL_MAX_ML_PER_KG_PER_DAY,
        f"At most {LABEL_MAX_ML_PER_KG_PER_DAY:g}.",
    )
    max_infusion_h_per_day = _limit(
        "hard limit: hours of infusion in one day",
        _CORE.max_infusion_h_per_day,
        LONGEST_INFUSION_H_PER_DAY,
        f"At most {LONGEST_INFUSION_H_PER_DAY:g}.",
    )
    # Soft limits (caution: the prescriber gives a reason, the pharmacist acknowledges it).
    caution_g_per_day = _optional(
        "caution above this many grams in one day",
        digits=(6, 1),
        minimum="1",
        help_text="Blank: no such caution.",
        default=None if _CORE.caution_g_per_day is None else Decimal(str(_CORE.caution_g_per_day)),
    )
    overage_caution_pct = _percent("whole vials over the dose: caution above (%)", _CORE.overage_caution_pct)
    overage_stop_pct = _percent("whole vials over the dose: stop above (%)", _CORE.overage_stop_pct)
    # Where the current limits come from: asked for on every change of a limit, shown with every stop.
    limits_source = models.CharField(
        "source of the current limits", max_length=300, default=_CORE.limits_source, blank=True
    )
    # The reference gives no SC absorption rate constant (docs/reference/pharmacokinetics.md s9): no default,
    # the site sets it.
    sc_ka_per_day = _optional(
        "SC absorption rate constant ka (per day)",
        digits=(6, 3),
        minimum="0.001",
        help_text="Not in the reference data: your site's value. Blank: IgG predictions with SC doses are "
        "not made (the PK page says so).",
    )
    # NEWS2 for adults is on by default (docs/reference/monitoring.md s14); a site that switches it off relies
    # on its own
    # vital-sign ranges, and the flowsheet says so while none are set.
    news2_for_adults = models.BooleanField(
        "score NEWS2 for adults (16 years and over)",
        default=True,
        help_text=(
            "RCP NEWS2 2017 (docs/reference/monitoring.md s14). Off: only the site's vital-sign ranges flag."
        ),
    )
    # Celsius unless a site says otherwise: the clinical core's thresholds and the reference are in °C, and
    # most centres (Canada's included) measure in °C; a site whose families use °F sets F.
    temperature_unit = models.CharField(
        "default temperature unit",
        max_length=1,
        choices=TEMPERATURE_UNITS,
        default="C",
        help_text="The unit the flowsheet and the family diary offer first; the other can still be chosen.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "site settings"
        verbose_name_plural = "site settings"
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="site_settings_single_row")]

    def __str__(self) -> str:
        return self.centre_name

    def dosing_settings(self) -> DosingSettings:
        """The clinical core's settings for this site."""

        def number(value: Decimal | None) -> float | None:
            return None if value is None else float(value)

        return DosingSettings(
            weight_policy=WeightPolicy(self.weight_policy),
            rounding_rule=RoundingRule(self.rounding_rule),
            max_dose_g_per_day=number(self.max_dose_g_per_day),
            risk_rate_cap_mg_per_kg_per_min=number(self.risk_rate_cap_mg_per_kg_per_min),
            max_g_per_kg_per_day=float(self.max_g_per_kg_per_day),
            max_g_per_kg_per_28_days=float(self.max_g_per_kg_per_28_days),
            max_ml_per_kg_per_day=float(self.max_ml_per_kg_per_day),
            max_infusion_h_per_day=float(self.max_infusion_h_per_day),
            caution_g_per_day=number(self.caution_g_per_day),
            overage_caution_pct=float(self.overage_caution_pct),
            overage_stop_pct=float(self.overage_stop_pct),
            limits_source=self.limits_source or _CORE.limits_source,
        )

    def clean(self) -> None:
        if (
            self.overage_caution_pct is not None
            and self.overage_stop_pct is not None
            and self.overage_caution_pct > self.overage_stop_pct
        ):
            raise ValidationError({"overage_caution_pct": "The caution must start at or below the stop."})

    def sc_absorption(self) -> ScAbsorption:
        """The clinical core's SC absorption settings: the site's ka, or none."""
        if self.sc_ka_per_day is None:
            return ScAbsorption()
        return ScAbsorption(ka_per_day=Fact(float(self.sc_ka_per_day), KA_SITE_SOURCE, FactStatus.SITE))


KA_SITE_SOURCE = "site settings (not in reference data, docs/reference/pharmacokinetics.md s9)"


class CareSite(LastUpdated):
    """Where patients are treated: the infusion centre, or a home-infusion team.

    The FHIR Group of the site's patients (ivig.fhir.resources.group) takes its meta.lastUpdated from
    `updated_at`.
    """

    class Kind(models.TextChoices):
        CENTRE = "centre", "Infusion centre"
        HOME = "home", "Home infusion"

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CENTRE)
    phone = models.CharField(max_length=30, blank=True, validators=[phone_validator])
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# Shortage phases, priority categories and the phase rules (issue 20), kept in their own module.
from ivig.siteconfig.shortage import (  # noqa: E402
    PriorityCategoryAssignment,
    ShortagePhaseDeclaration,
    ShortagePolicy,
)

__all__ = [
    "KA_SITE_SOURCE",
    "CareSite",
    "PriorityCategoryAssignment",
    "ShortagePhaseDeclaration",
    "ShortagePolicy",
    "SiteSettings",
]

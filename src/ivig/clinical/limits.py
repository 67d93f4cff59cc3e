"""Dose limits: the regimen's range (caution), the label-derived ceilings (stop), and vial overage.

Levels follow smart-pump drug libraries (docs/reference/dosing.md s13): a dose outside the regimen's range is
a
soft limit (a caution: the prescriber writes why); a dose above the highest labelled dose in one day or in
28 days is a hard limit (a stop: no reason unlocks it, only the site's audited limit moves it).
"""

from __future__ import annotations

from dataclasses import dataclass

from ivig.clinical.catalog.model import Product
from ivig.clinical.patient import Finding, Severity
from ivig.clinical.regimens import DoseOption, Regimen
from ivig.clinical.settings import (
    CEILING_SOURCE,
    LABEL_MAX_G_PER_KG_PER_28_DAYS,
    LABEL_MAX_G_PER_KG_PER_DAY,
    LABEL_MAX_ML_PER_KG_PER_DAY,
    DosingSettings,
)

_EPS = 1e-9
DOSE = "dose"
DAYS = "days"
OVERAGE_SOURCE = "site setting: overage limits (no source gives a rule, docs/reference/dosing.md s6, s13)"


@dataclass(frozen=True, slots=True)
class DoseFigures:
    """One course as given: per-day grams prescribed and infused, days and the dosing weight."""

    weight_kg: float
    days: int
    prescribed_g_per_day: float
    infused_g_per_day: float
    volume_ml_per_day: float
    previous_g_per_kg_28_days: float = 0.0
    window_note: str = ""  # what the 28 days hold besides this course, when not just earlier doses

    @property
    def prescribed_g_per_kg_per_day(self) -> float:
        return self.prescribed_g_per_day / self.weight_kg

    @property
    def infused_g_per_kg_per_day(self) -> float:
        return self.infused_g_per_day / self.weight_kg

    @property
    def infused_g_per_kg_course(self) -> float:
        return self.infused_g_per_day * self.days / self.weight_kg


def _site_source(settings: DosingSettings, label: float, value: float) -> str:
    if abs(value - label) < _EPS:
        return CEILING_SOURCE
    return f"{settings.limits_source} (lowered from {label:g}, {CEILING_SOURCE})"


def _stop(code: str, message: str, source: str) -> Finding:
    """A hard limit the dose goes past: the order stops on its dose."""
    return Finding(code, Severity.STOP, message, source, field=DOSE)


def ceiling_findings(figures: DoseFigures, settings: DosingSettings) -> list[Finding]:
    """Stops for a day or 28 days above the ceilings, or a day's volume above mL/kg; caution above g/day."""
    found: list[Finding] = []
    per_day = max(figures.prescribed_g_per_kg_per_day, figures.infused_g_per_kg_per_day)
    limit = settings.max_g_per_kg_per_day
    if per_day > limit + _EPS:
        found.append(
            _stop(
                "above-daily-ceiling",
                f"{per_day:.2f} g/kg in one day is above the hard limit of {limit:g} g/kg a day "
                "(the highest labelled dose in one day): lower the dose or give it over more days",
                _site_source(settings, LABEL_MAX_G_PER_KG_PER_DAY, limit),
            )
        )
    course = max(figures.prescribed_g_per_kg_per_day, figures.infused_g_per_kg_per_day) * figures.days
    window = course + figures.previous_g_per_kg_28_days
    limit = settings.max_g_per_kg_per_28_days
    if window > limit + _EPS:
        earlier = figures.previous_g_per_kg_28_days
        with_earlier = f" with {earlier:.2f} g/kg given in the 28 days before" if earlier > _EPS else ""
        if figures.window_note:
            with_earlier = f" ({figures.window_note})"
        found.append(
            _stop(
                "above-28-day-ceiling",
                f"{window:.2f} g/kg in 28 days{with_earlier} is above the hard limit of {limit:g} g/kg "
                "in one course or 28 days (the highest labelled monthly dose)",
                _site_source(settings, LABEL_MAX_G_PER_KG_PER_28_DAYS, limit),
            )
        )
    ml_per_kg = figures.volume_ml_per_day / figures.weight_kg
    limit = settings.max_ml_per_kg_per_day
    if ml_per_kg > limit + _EPS:
        found.append(
            _stop(
                "above-daily-volume",
                f"{figures.volume_ml_per_day:.0f} mL in one day is {ml_per_kg:.1f} mL/kg, above the hard "
                f"limit of {limit:g} mL/kg a day: a more concentrated product, or more days",
                _site_source(settings, LABEL_MAX_ML_PER_KG_PER_DAY, limit)
                + "; 40 mL/kg = 2 g/kg of a 5 % product (s1)",
            )
        )
    grams = max(figures.prescribed_g_per_day, figures.infused_g_per_day)
    if settings.caution_g_per_day is not None and grams > settings.caution_g_per_day + _EPS:
        found.append(
            Finding(
                "above-site-g-per-day",
                Severity.CAUTION,
                f"{grams:.1f} g in one day is above the site's {settings.caution_g_per_day:g} g a day: "
                "check the weight and the dosing-weight policy",
                "site setting: caution_g_per_day (a site decision; no source gives a figure)",
                field=DOSE,
            )
        )
    return found


def range_findings(
    regimen: Regimen, product: Product, dose_g_per_kg: float, days: int, options: tuple[DoseOption, ...]
) -> list[Finding]:
    """A caution for a dose or a number of days outside every option of the regimen for this product."""
    if regimen.allows(product.slug, dose_g_per_kg, days):
        return []
    allowed = "; ".join(o.describe() for o in options)
    dose_ok = any(o.min_g_per_kg - _EPS <= dose_g_per_kg <= o.max_g_per_kg + _EPS for o in options)
    return [
        Finding(
            "dose-outside-range",
            Severity.CAUTION,
            f"{dose_g_per_kg:g} g/kg over {days} day(s) is outside {regimen.name} ({allowed})",
            "; ".join(o.source for o in options),
            product.slug,
            field=DAYS if dose_ok else DOSE,
        )
    ]


def overage_findings(
    *,
    prescribed_g: float,
    dispensed_g: float,
    infused_g: float,
    accepted: bool,
    course_g_per_kg_infused: float,
    regimen_max_g_per_kg: float,
    settings: DosingSettings,
) -> list[Finding]:
    """Judge whole vials above the prescribed dose: waste when not infused, an overage when infused."""
    found: list[Finding] = []
    over_pct = 100.0 * (dispensed_g - prescribed_g) / prescribed_g
    if over_pct <= _EPS:
        return found
    if not accepted:
        waste = dispensed_g - infused_g
        severity = Severity.CAUTION if over_pct > settings.overage_caution_pct + _EPS else Severity.INFO
        found.append(
            Finding(
                "part-vial-waste",
                severity,
                f"{dispensed_g:g} g of whole vials for {prescribed_g:.2f} g prescribed (+{over_pct:.0f} %): "
                f"the prescribed dose is infused and {waste:.2f} g is recorded as waste"
                + (": a product with smaller vials may fit" if severity is Severity.CAUTION else ""),
                OVERAGE_SOURCE,
                field="product" if severity is Severity.CAUTION else DOSE,
            )
        )
        return found
    above_regimen = course_g_per_kg_infused > regimen_max_g_per_kg + _EPS
    if over_pct > settings.overage_stop_pct + _EPS or above_regimen:
        why = (
            f"above the regimen maximum of {regimen_max_g_per_kg:g} g/kg"
            if above_regimen
            else f"above the site's {settings.overage_stop_pct:g} % limit"
        )
        found.append(
            Finding(
                "rounded-dose-overage",
                Severity.STOP,
                f"infusing the whole vials gives {infused_g:g} g for {prescribed_g:.2f} g prescribed "
                f"(+{over_pct:.0f} %), {why}: infuse the prescribed dose",
                OVERAGE_SOURCE,
                field=DOSE,
            )
        )
        return found
    level = "above the site's caution level" if over_pct > settings.overage_caution_pct + _EPS else "within"
    found.append(
        Finding(
            "rounded-dose-accepted",
            Severity.CAUTION,
            f"the whole vials are infused: {infused_g:g} g for {prescribed_g:.2f} g prescribed "
            f"(+{over_pct:.1f} %, {level} {settings.overage_caution_pct:g} %)",
            OVERAGE_SOURCE,
            field=DOSE,
        )
    )
    return found

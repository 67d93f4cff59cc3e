"""SCIG plans: dose from the IV-to-SC factor, then sites, mL per site, rate per site and duration.

Per-site volume and rate limits come from the label for the infusion's phase and the patient's
weight or age band (docs/reference/dosing.md s4); missing limits stop the plan instead of being guessed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ivig.clinical.catalog.model import Indication, Product, ScSiteLimits
from ivig.clinical.patient import CodedError, Finding, Severity
from ivig.clinical.units import round_down

# Children get the smaller site maximum where the label gives one (Gamunex-C: <=6 sites; s4).
ADULT_AGE_YEARS = 18.0


class ScPlanError(CodedError):
    """No SC plan can be made without guessing; `code` is stable for warnings."""


@dataclass(frozen=True, slots=True)
class ScInfusion:
    volume_ml: float
    sites: int
    ml_per_site: float
    rate_ml_per_h_per_site: float  # rounded down to the pump precision
    total_rate_ml_per_h: float
    duration_min: float
    limits: ScSiteLimits
    findings: tuple[Finding, ...]


def weekly_sc_dose_g(product: Product, previous_iv_dose_g: float, iv_interval_weeks: float) -> float:
    """Return factor x previous IV dose / weeks between IV doses (Hizentra label, docs/reference/dosing.md
    s4)."""
    if product.sc is None or not product.sc.iv_to_sc_factor.known:
        raise ScPlanError("sc-data-missing", f"{product.name}: IV-to-SC factor is not in label data")
    if previous_iv_dose_g <= 0 or iv_interval_weeks <= 0:
        raise ScPlanError("sc-bad-input", "previous IV dose and weeks between IV doses must be above 0")
    factor = product.sc.iv_to_sc_factor.value or 0.0
    return factor * previous_iv_dose_g / iv_interval_weeks


def plan_sc_infusion(
    product: Product,
    volume_ml: float,
    *,
    weight_kg: float,
    age_years: float,
    infusion_number: int = 1,
    indication: Indication | None = None,
    pump_precision_ml_per_h: float = 0.1,
) -> ScInfusion:
    """Split `volume_ml` over the fewest sites the per-site volume limit allows, at the site rate limit."""
    sc = product.sc
    if sc is None:
        raise ScPlanError("route-not-available", f"{product.name} is not given subcutaneously")
    limits = sc.site_limits_for(infusion_number, weight_kg, age_years, indication)
    if limits is None or not (
        limits.max_volume_ml_per_site.known and limits.max_rate_ml_per_h_per_site.known
    ):
        raise ScPlanError(
            "sc-data-missing",
            f"{product.name}: per-site volume or rate limit for this patient is not in label data; "
            "the site must configure them before an SC plan can be made",
        )
    findings: list[Finding] = []
    daily = sc.daily_volume_limit_for(weight_kg)
    if daily is not None and daily.max_volume_ml.known and volume_ml > (daily.max_volume_ml.value or 0.0):
        raise ScPlanError(
            "sc-daily-volume",
            f"{volume_ml:.0f} mL is above the label limit of {daily.max_volume_ml.value:g} mL a day "
            f"({daily.source})",
        )
    max_ml_per_site = limits.max_volume_ml_per_site.value or 0.0
    sites = max(1, math.ceil(volume_ml / max_ml_per_site - 1e-9))
    max_sites = sc.max_sites
    if age_years < ADULT_AGE_YEARS and sc.max_sites_children.known:
        max_sites = sc.max_sites_children
    if max_sites.known and sites > (max_sites.value or 0):
        raise ScPlanError(
            "sc-too-many-sites",
            f"{volume_ml:.0f} mL needs {sites} sites at {max_ml_per_site:g} mL/site, above the label's "
            f"{max_sites.value} sites: split the dose into more frequent infusions",
        )
    if not max_sites.known:
        findings.append(
            Finding(
                "sc-max-sites-missing",
                Severity.CAUTION,
                f"{product.name}: the most sites at once is not in label data; the site should set it",
                max_sites.source,
                product.slug,
            )
        )
    rate = limits.max_rate_ml_per_h_per_site.value or 0.0
    if sc.max_total_rate_ml_per_h.known:
        rate = min(rate, (sc.max_total_rate_ml_per_h.value or 0.0) / sites)
    rate = round_down(rate, pump_precision_ml_per_h)
    ml_per_site = volume_ml / sites
    return ScInfusion(
        volume_ml=volume_ml,
        sites=sites,
        ml_per_site=ml_per_site,
        rate_ml_per_h_per_site=rate,
        total_rate_ml_per_h=rate * sites,
        duration_min=ml_per_site / rate * 60.0,
        limits=limits,
        findings=tuple(findings),
    )

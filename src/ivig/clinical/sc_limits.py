"""SC dose limits: the regimen's range per kg per week (caution) and the label-derived ceilings (stop).

An SC infusion repeats every `sc_interval_weeks`, so its 28-day total counts every infusion in 4 weeks
(docs/reference/dosing.md s13: 2.4 g/kg in one course or 28 days). The weekly range comes from the label
(Hizentra
CIDP 0.2-0.4 g/kg a week, s4) or from the IV range, the interval and the product's IV-to-SC factor (s4, s5).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ivig.clinical.catalog.model import Product
from ivig.clinical.limits import DoseFigures, ceiling_findings
from ivig.clinical.patient import Finding, Severity
from ivig.clinical.regimens import Regimen
from ivig.clinical.settings import DosingSettings

if TYPE_CHECKING:
    from ivig.clinical.plan import PlanRequest

_EPS = 1e-9
FIELD = "sc_dose"
WEEKS_IN_28_DAYS = 4.0


def infusions_in_28_days(interval_weeks: float) -> float:
    """How many infusions at this interval fall in 28 days (at least the one planned)."""
    return max(1.0, WEEKS_IN_28_DAYS / interval_weeks)


def sc_weekly_bounds(regimen: Regimen, product: Product) -> tuple[float, float] | None:
    """Return the SC range in g/kg a week for this regimen and product, or None when no source gives one."""
    if regimen.sc_weekly is None:
        return None
    factor = None
    if product.sc is not None and product.sc.iv_to_sc_factor.known:
        factor = product.sc.iv_to_sc_factor.value
    return regimen.sc_weekly.bounds(regimen.options_for(product.slug), factor)


def sc_dose_findings(
    request: PlanRequest,
    product: Product,
    regimen: Regimen,
    figures: DoseFigures,
    settings: DosingSettings,
) -> list[Finding]:
    """Check one SC infusion: the ceilings for its day and its 28 days, and the weekly range."""
    count = infusions_in_28_days(request.sc_interval_weeks)
    repeated = max(0.0, count - 1.0) * figures.infused_g_per_kg_per_day
    # The other infusions of the next 28 days count like doses given before: one window, one limit.
    window = DoseFigures(
        figures.weight_kg,
        1,
        figures.prescribed_g_per_day,
        figures.infused_g_per_day,
        figures.volume_ml_per_day,
        figures.previous_g_per_kg_28_days + repeated,
        window_note=f"every {request.sc_interval_weeks:g} week(s): {count:g} infusions in 28 days"
        + (
            f", and {figures.previous_g_per_kg_28_days:.2f} g/kg given before"
            if figures.previous_g_per_kg_28_days > _EPS
            else ""
        ),
    )
    found = [
        Finding(f.code, f.severity, f.message, f.source, f.product, FIELD)
        for f in ceiling_findings(window, settings)
    ]
    weekly = figures.infused_g_per_kg_per_day / request.sc_interval_weeks
    bounds = sc_weekly_bounds(regimen, product)
    source = regimen.sc_weekly.source if regimen.sc_weekly else "docs/reference/dosing.md s4, s5"
    if bounds is None:
        found.append(
            Finding(
                "sc-range-unknown",
                Severity.CAUTION,
                f"no SC dose range for {regimen.name} with {product.name} in the label data "
                f"({weekly:.3f} g/kg a week planned)",
                source,
                product.slug,
                FIELD,
            )
        )
        return found
    low, high = bounds
    if not low - _EPS <= weekly <= high + _EPS:
        found.append(
            Finding(
                "sc-dose-outside-range",
                Severity.CAUTION,
                f"{weekly:.3f} g/kg a week is outside {low:.2f}-{high:.2f} g/kg a week for {regimen.name} "
                f"with {product.name}",
                source,
                product.slug,
                FIELD,
            )
        )
    return found

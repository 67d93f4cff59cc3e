"""The plan as JSON-ready data: what `ivig plan --json` prints and what an order stores as its plan."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ivig.clinical.catalog.model import Route
from ivig.clinical.regimens import DosePer

if TYPE_CHECKING:
    from ivig.clinical.plan import DayPlan, InfusionPlan


def plan_dict(plan: InfusionPlan) -> dict[str, Any]:
    weight = plan.dosing_weight
    return {
        "product": plan.product.slug,
        "product_name": plan.product.name,
        "route": str(plan.route),
        "regimen": plan.regimen.id,
        "indication": str(plan.regimen.indication),
        "dosing_weight_kg": round(weight.kg, 2),
        "weight_basis": str(weight.basis),
        "weight_reason": weight.reason,
        "actual_weight_kg": round(weight.actual_kg, 2),
        "ideal_weight_kg": None if weight.ideal_kg is None else round(weight.ideal_kg, 2),
        "adjusted_weight_kg": None if weight.adjusted_kg is None else round(weight.adjusted_kg, 2),
        "rate_weight_kg": round(plan.rate_weight_kg, 2),
        "dose_g_per_kg": round(plan.dose_g_per_kg, 4),
        "dose_per": str(plan.regimen.dose_per) if plan.route is Route.IV else str(DosePer.COURSE),
        "prescribed_dose_g": round(plan.prescribed_dose_g, 2),
        "dispensed_dose_g": round(plan.dispensed_dose_g, 2),
        "cost": None if plan.cost is None else round(plan.cost, 2),
        "days": [_day_dict(day) for day in plan.days],
        "warnings": [
            {
                "code": w.code,
                "severity": str(w.severity),
                "message": w.message,
                "source": w.source,
                "field": w.field,
            }
            for w in plan.warnings
        ],
    }


def _day_dict(day: DayPlan) -> dict[str, Any]:
    vials = day.vials
    data: dict[str, Any] = {
        "day": day.day,
        "dose_g": round(day.dose_g, 2),
        "dispensed_g": round(vials.dispensed_g, 2),
        "difference_g": round(vials.difference_g, 2),
        "difference_pct": round(vials.difference_pct, 2),
        "vials": [{"size_g": v.size_g, "count": v.count, "volume_ml": v.volume_ml} for v in vials.vials],
        # The volume to infuse; a part vial's remainder is waste.
        "volume_ml": round(day.volume_ml, 2),
        "infused_g": round(day.infused_g, 2),
        "dispensed_volume_ml": round(vials.volume_ml, 2),
        "waste_ml": round(day.waste_ml, 2),
        "waste_g": round(day.waste_g, 2),
        "steps": [],
        "duration_min": None if day.duration_min is None else round(day.duration_min, 2),
    }
    if day.rates is not None:
        data["max_rate_mg_per_kg_per_min"] = day.rates.ceiling_mg_per_kg_per_min
        data["steps"] = [
            {
                "start_min": round(s.start_min, 2),
                "duration_min": round(s.duration_min, 2),
                "rate_mg_per_kg_per_min": round(s.rate_mg_per_kg_per_min, 4),
                "rate_ml_per_kg_per_h": round(s.rate_ml_per_kg_per_h, 4),
                "rate_ml_per_h": s.rate_ml_per_h,
                "volume_ml": round(s.volume_ml, 2),
            }
            for s in day.rates.steps
        ]
    if day.sc is not None:
        data["sc"] = {
            "sites": day.sc.sites,
            "ml_per_site": round(day.sc.ml_per_site, 2),
            "rate_ml_per_h_per_site": day.sc.rate_ml_per_h_per_site,
            "total_rate_ml_per_h": round(day.sc.total_rate_ml_per_h, 2),
            "duration_min": round(day.sc.duration_min, 2),
            "limits_source": day.sc.limits.source,
        }
    return data

"""The clinical core: catalog, dosing weight, regimens, vial and rate plans, risk screening. No Django."""

from __future__ import annotations

from ivig.clinical.catalog import (
    Catalog,
    CatalogSchemaError,
    Fact,
    FactStatus,
    Product,
    Route,
    UnknownProductError,
    default_catalog,
    load_catalog,
)
from ivig.clinical.catalog.model import Indication
from ivig.clinical.patient import Finding, PatientFactors, Severity, Sex, ThrombosisRisk
from ivig.clinical.plan import DayPlan, InfusionPlan, PlanError, PlanRequest, plan_infusion
from ivig.clinical.ranking import RankedProduct, rank_products, suitable_products
from ivig.clinical.rates import InfusionHistory, RatePlan, RatePlanError, RateStep, plan_iv_rates
from ivig.clinical.regimens import Regimen, get_regimen
from ivig.clinical.risk import ProductScreen, screen_product, screen_products, thrombosis_or_renal_risk
from ivig.clinical.scig import ScInfusion, ScPlanError, plan_sc_infusion, weekly_sc_dose_g
from ivig.clinical.settings import DosingSettings, RateWeightBasis, RoundingRule, WeightPolicy
from ivig.clinical.vials import VialPlan, plan_vials
from ivig.clinical.weight import DosingWeight, WeightBasis, WeightError, WeightOverride, dosing_weight

__all__ = [
    "Catalog",
    "CatalogSchemaError",
    "DayPlan",
    "DosingSettings",
    "DosingWeight",
    "Fact",
    "FactStatus",
    "Finding",
    "Indication",
    "InfusionHistory",
    "InfusionPlan",
    "PatientFactors",
    "PlanError",
    "PlanRequest",
    "Product",
    "ProductScreen",
    "RankedProduct",
    "RatePlan",
    "RatePlanError",
    "RateStep",
    "RateWeightBasis",
    "Regimen",
    "RoundingRule",
    "Route",
    "ScInfusion",
    "ScPlanError",
    "Severity",
    "Sex",
    "ThrombosisRisk",
    "UnknownProductError",
    "VialPlan",
    "WeightBasis",
    "WeightError",
    "WeightOverride",
    "WeightPolicy",
    "default_catalog",
    "dosing_weight",
    "get_regimen",
    "load_catalog",
    "plan_infusion",
    "plan_iv_rates",
    "plan_sc_infusion",
    "plan_vials",
    "rank_products",
    "screen_product",
    "screen_products",
    "suitable_products",
    "thrombosis_or_renal_risk",
    "weekly_sc_dose_g",
]

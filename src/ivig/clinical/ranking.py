"""Rank the products for one patient, indication and route, best first, and say why."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ivig.clinical.catalog.model import Indication, Product, Route
from ivig.clinical.patient import GlucoseMeter, PatientFactors
from ivig.clinical.risk import ADULT_AGE_YEARS, INFANT_AGE_YEARS, ProductScreen, screen_product
from ivig.clinical.risk_factors import renal_reasons

# Unknown IgA content sorts after every known value when the patient is IgA-deficient.
_UNKNOWN_IGA = float("inf")
IGA_CODE = "iga-deficiency-anti-iga"
# Places for the label age: labelled for the patient's age, not known (a child only), below the label age.
_AGE_LABELLED, _AGE_UNKNOWN, _AGE_BELOW = 0.0, 1.0, 2.0


@dataclass(frozen=True, slots=True)
class RankedProduct:
    """One product's place in the ranking (1 = best) and the reasons for it."""

    rank: int
    product: Product
    suitable: bool  # no contraindication and labelled for the indication
    reasons: tuple[str, ...]
    screen: ProductScreen


def rank_products(
    factors: PatientFactors,
    indication: Indication,
    products: Iterable[Product],
    route: Route | None = None,
    dose_g_per_kg: float | None = None,
    *,
    dose_g: float | None = None,
) -> tuple[RankedProduct, ...]:
    """Rank `products` (those given by `route`, when one is named) for this patient, best first.

    `dose_g_per_kg` is the course dose (for the dose-related cautions); `dose_g` one day's dose in grams.
    Order: no contraindication other than IgA; lower IgA for an IgA-deficient patient (every product is
    contraindicated for them, but the specialist choosing one needs the lowest IgA first); labelled for the
    indication; labelled for the patient's age (then unknown, then below it); not discontinued; no earlier
    reaction; IV rates in label data; no sucrose or maltose for renal risk or the glucose meter, no sorbitol
    for an infant; 10% or more for volume concern; a vial no larger than the day's dose; fewer cautions;
    then name.
    """
    candidates = [p for p in products if route is None or route in p.routes]
    scored = []
    for product in candidates:
        screen = screen_product(factors, product, indication, dose_g_per_kg)
        key, reasons = _score(factors, indication, product, screen, route, dose_g)
        scored.append((key, product.name, product, screen, reasons))
    scored.sort(key=lambda item: (item[0], item[1]))
    return tuple(
        RankedProduct(
            rank=position,
            product=product,
            suitable=not screen.contraindicated and indication in product.indications,
            reasons=reasons,
            screen=screen,
        )
        for position, (_key, _name, product, screen, reasons) in enumerate(scored, start=1)
    )


def suitable_products(ranking: Iterable[RankedProduct]) -> tuple[RankedProduct, ...]:
    return tuple(r for r in ranking if r.suitable)


def _score(
    factors: PatientFactors,
    indication: Indication,
    product: Product,
    screen: ProductScreen,
    route: Route | None,
    dose_g: float | None,
) -> tuple[tuple[float, ...], tuple[str, ...]]:
    reasons: list[str] = []
    reasons += [f"contraindicated: {f.code}" for f in screen.contraindications]
    other_contraindication = any(f.code != IGA_CODE for f in screen.contraindications)
    iga = 0.0
    if factors.iga_deficient_with_antibodies:
        iga = _UNKNOWN_IGA if product.iga_ug_per_ml.value is None else product.iga_ug_per_ml.value
        reasons.append(f"IgA {product.iga_text.display()}")
    labelled = indication in product.indications
    reasons.append(
        f"labelled for {indication.value.upper()}" if labelled else f"not labelled for {indication.value}"
    )
    age_place, age_reason = _label_age_place(factors, indication, product)
    if age_reason:
        reasons.append(age_reason)
    if product.discontinued:
        reasons.append("discontinued")
    reacted = product.slug in factors.previous_reactions
    if reacted:
        reasons.append("previous reaction to this product")
    rates_missing = _iv_rates_missing(product, indication, route)
    if rates_missing:
        reasons.append("IV rates not in label data: the site must configure them")
    sugar = _sugar_concern(factors, product)
    if sugar:
        reasons.append(sugar)
    dilute = _dilute_for_volume_concern(factors, product)
    if dilute:
        reasons.append("volume concern: under 10% concentration")
    cautions = len(screen.cautions)
    reasons.append(f"{cautions} caution(s)")
    too_big = _smallest_vial_exceeds(product, dose_g)
    if too_big:
        reasons.append(too_big)
    key = (
        float(other_contraindication),
        iga,
        float(not labelled),
        age_place,
        float(product.discontinued),
        float(reacted),
        float(rates_missing),
        float(bool(sugar)),
        float(dilute),
        # Issue 16: a product whose smallest vial is larger than the day's dose ranks below those that fit.
        float(bool(too_big)),
        float(cautions),
    )
    return key, tuple(reasons)


def _label_age_place(factors: PatientFactors, indication: Indication, product: Product) -> tuple[float, str]:
    """Place a product by its label age for this patient; an adult is never below an unknown age (s2)."""
    if indication not in product.indications:
        return _AGE_LABELLED, ""  # off-label already ranks it down; there is no label age to read
    age = product.label_min_age(indication)
    if age.known and age.value is not None:
        if factors.age_years < age.value:
            return _AGE_BELOW, f"below the label age ({indication.value.upper()} from {age.value:g} y)"
        return _AGE_LABELLED, f"labelled from {age.value:g} y"
    if factors.age_years < ADULT_AGE_YEARS:
        return _AGE_UNKNOWN, "label age not in label data"
    return _AGE_LABELLED, ""


def _smallest_vial_exceeds(product: Product, dose_g: float | None) -> str:
    """Say when even the smallest vial holds more than one day's dose (waste, or a whole vial given)."""
    if dose_g is None or not product.vial_sizes:
        return ""
    smallest = min(v.grams for v in product.vial_sizes)
    if smallest <= dose_g:
        return ""
    return f"smallest vial {smallest:g} g is more than the day's dose {dose_g:g} g"


def _iv_rates_missing(product: Product, indication: Indication, route: Route | None) -> bool:
    if route is Route.SC or Route.IV not in product.routes or (route is None and Route.SC in product.routes):
        return False
    limits = product.iv_rate_limits(indication)
    if limits is None:  # off-label use: the off-label reason already ranks it down
        return indication in product.indications
    return not (limits.initial_rate_mg_per_kg_per_min.known and limits.max_rate_mg_per_kg_per_min.known)


def _sugar_concern(factors: PatientFactors, product: Product) -> str:
    """Name the sugar to avoid: sucrose with renal risk (s7); maltose with diabetes or a meter that reads it
    as glucose (s7). An unknown meter is a caution on the product, counted with the other cautions."""
    if product.contains_sucrose and renal_reasons(factors):
        return "contains sucrose (renal risk)"
    if product.contains_maltose and factors.diabetes:
        return "contains maltose (diabetes: glucose meter interference)"
    if product.contains_maltose and factors.glucose_meter in _MALTOSE_METERS:
        return "contains maltose (the patient's glucose meter reads it as glucose)"
    if product.contains_sorbitol and factors.age_years < INFANT_AGE_YEARS:
        return "contains sorbitol (hereditary fructose intolerance may be undiagnosed in an infant)"
    return ""


_MALTOSE_METERS = (GlucoseMeter.GDH_PQQ, GlucoseMeter.GLUCOSE_DYE_OXIDOREDUCTASE)


def _dilute_for_volume_concern(factors: PatientFactors, product: Product) -> bool:
    concentration = product.concentration_g_per_100ml.value
    return factors.heart_failure_or_volume_concern and concentration is not None and concentration < 10

"""Rank the products for one patient, indication and route, best first, and say why."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ivig.clinical.catalog.model import Indication, Product, Route
from ivig.clinical.patient import PatientFactors
from ivig.clinical.risk import ProductScreen, screen_product
from ivig.clinical.risk_factors import renal_reasons

# Unknown IgA content sorts after every known value when the patient is IgA-deficient.
_UNKNOWN_IGA = float("inf")


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
) -> tuple[RankedProduct, ...]:
    """Rank `products` (those given by `route`, when one is named) for this patient, best first.

    Order: no contraindication; labelled for the indication; not discontinued; no earlier reaction;
    IV rates in label data; no sucrose or maltose for renal risk or diabetes; 10% or more for volume
    concern; fewer cautions; lower IgA for an IgA-deficient patient; then name.
    """
    candidates = [p for p in products if route is None or route in p.routes]
    scored = []
    for product in candidates:
        screen = screen_product(factors, product, indication, dose_g_per_kg)
        key, reasons = _score(factors, indication, product, screen, route)
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
) -> tuple[tuple[float, ...], tuple[str, ...]]:
    reasons: list[str] = []
    contraindicated = screen.contraindicated
    if contraindicated:
        reasons += [f"contraindicated: {f.code}" for f in screen.contraindications]
    labelled = indication in product.indications
    reasons.append(
        f"labelled for {indication.value.upper()}" if labelled else f"not labelled for {indication.value}"
    )
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
    iga = 0.0
    if factors.iga_deficient_with_antibodies:
        iga = _UNKNOWN_IGA if product.iga_ug_per_ml.value is None else product.iga_ug_per_ml.value
        reasons.append(f"IgA {product.iga_text.display()}")
    key = (
        float(contraindicated),
        float(not labelled),
        float(product.discontinued),
        float(reacted),
        float(rates_missing),
        float(bool(sugar)),
        float(dilute),
        float(cautions),
        iga,
    )
    return key, tuple(reasons)


def _iv_rates_missing(product: Product, indication: Indication, route: Route | None) -> bool:
    if route is Route.SC or Route.IV not in product.routes or (route is None and Route.SC in product.routes):
        return False
    limits = product.iv_rate_limits(indication)
    if limits is None:  # off-label use: the off-label reason already ranks it down
        return indication in product.indications
    return not (limits.initial_rate_mg_per_kg_per_min.known and limits.max_rate_mg_per_kg_per_min.known)


def _sugar_concern(factors: PatientFactors, product: Product) -> str:
    """Name the sugar to avoid: sucrose with renal risk (s7); maltose with diabetes (glucose meter, s7)."""
    if product.contains_sucrose and renal_reasons(factors):
        return "contains sucrose (renal risk)"
    if product.contains_maltose and factors.diabetes:
        return "contains maltose (diabetes: glucose meter interference)"
    return ""


def _dilute_for_volume_concern(factors: PatientFactors, product: Product) -> bool:
    concentration = product.concentration_g_per_100ml.value
    return factors.heart_failure_or_volume_concern and concentration is not None and concentration < 10

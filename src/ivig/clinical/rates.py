"""IV infusion rate plans: steps from the label's initial rate up to its maximum (or a risk cap).

Label rates are hard limits; where a label says only "as tolerated", the site's titration
protocol sets the steps (docs/reference/products.md s3). Pump rates round DOWN to the pump precision, so
no step ever runs above a limit, and the last step lasts until the volume is given.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ivig.clinical.catalog.model import (
    Fact,
    FactStatus,
    Indication,
    IvRateLimits,
    Product,
    StepRule,
    Titration,
    TitrationKind,
    TitrationProtocol,
)
from ivig.clinical.patient import CodedError, Finding, Severity
from ivig.clinical.settings import DosingSettings
from ivig.clinical.units import mg_per_kg_per_min_to_ml_per_kg_per_h, pump_ml_per_h, round_down

BOXED_WARNING_SOURCE = (
    "All IVIG labels, boxed warning: minimum infusion rate practicable (docs/reference/products.md s3)"
)
_MAX_STEPS = 200  # a protocol that has not reached its maximum after 200 steps is misconfigured
_VOLUME_EPSILON_ML = 1e-9


class RatePlanError(CodedError):
    """No rate plan can be made without guessing; the message says what the site must configure."""


@dataclass(frozen=True, slots=True)
class InfusionHistory:
    """What decides the starting rate. Unknown history is treated as a first infusion."""

    first_infusion: bool = True
    weeks_since_last: float | None = None
    product_switch: bool = False
    last_tolerated_rate_mg_per_kg_per_min: float | None = None


@dataclass(frozen=True, slots=True)
class RateStep:
    start_min: float
    duration_min: float
    rate_mg_per_kg_per_min: float  # the step's rate (label or protocol), never above the ceiling
    rate_ml_per_kg_per_h: float
    rate_ml_per_h: float  # pump rate, rounded down to the pump precision
    volume_ml: float  # given during this step, at the pump rate


@dataclass(frozen=True, slots=True)
class RatePlan:
    steps: tuple[RateStep, ...]
    volume_ml: float
    duration_min: float
    # Labels give rates per kg of body weight; this is the weight that turned them into mL/h.
    rate_weight_kg: float
    ceiling_mg_per_kg_per_min: float  # the label maximum, or the risk cap when lower
    label_max_mg_per_kg_per_min: float
    limits: IvRateLimits
    findings: tuple[Finding, ...]


def treat_as_first_infusion(history: InfusionHistory, restart_after_weeks: float) -> bool:
    """Say whether this infusion counts as a first one: start at the initial rate, observe 1 h after.

    A first infusion, a product switch, or more than `restart_after_weeks` (8) since the last dose, or an
    unknown gap (docs/reference/monitoring.md s8: provincial tables and EU SmPCs).
    """
    return (
        history.first_infusion
        or history.product_switch
        or history.weeks_since_last is None
        or history.weeks_since_last > restart_after_weeks
    )


def _known(fact: Fact[float]) -> float | None:
    return fact.value if fact.known else None


def conservative_limits(product: Product, indication: Indication) -> IvRateLimits | None:
    """Return the most cautious of a product's labelled limits, for an indication it has none for."""
    rows = [
        r
        for r in product.iv_rates
        if r.initial_rate_mg_per_kg_per_min.known and r.max_rate_mg_per_kg_per_min.known
    ]
    if not rows:
        return None
    source = "most cautious of the labelled limits for " + ", ".join(str(r.indication) for r in rows)
    slowest = min(rows, key=lambda r: r.max_rate_mg_per_kg_per_min.value or 0.0)

    def fact(values: list[float | None], *, longest: bool = False) -> Fact[float]:
        known = [v for v in values if v is not None]
        if not known:
            return Fact(None, source, FactStatus.MISSING)
        return Fact(max(known) if longest else min(known), source)

    return IvRateLimits(
        indication=indication,
        initial_rate_mg_per_kg_per_min=fact([_known(r.initial_rate_mg_per_kg_per_min) for r in rows]),
        initial_duration_min=fact([_known(r.initial_duration_min) for r in rows], longest=True),
        titration=slowest.titration,
        max_rate_mg_per_kg_per_min=fact([_known(r.max_rate_mg_per_kg_per_min) for r in rows]),
        risk_max_rate_mg_per_kg_per_min=fact([_known(r.risk_max_rate_mg_per_kg_per_min) for r in rows]),
        source=source,
    )


def _next_rate(rate: float, titration: Titration, protocol: TitrationProtocol) -> float:
    """Return the rate after one titration step (may equal `rate` when the label's steps run out)."""
    if titration.kind is TitrationKind.INCREMENT and titration.increment_mg_per_kg_per_min:
        return rate + titration.increment_mg_per_kg_per_min
    if titration.kind is TitrationKind.SEQUENCE and titration.sequence_mg_per_kg_per_min:
        return next((r for r in titration.sequence_mg_per_kg_per_min if r > rate + 1e-12), rate)
    if protocol.rule is StepRule.INCREMENT and protocol.increment_mg_per_kg_per_min:
        return rate + protocol.increment_mg_per_kg_per_min
    return rate * 2.0


def _rate_schedule(
    start: float,
    first_duration: float,
    interval: float,
    ceiling: float,
    titration: Titration,
    protocol: TitrationProtocol,
) -> Iterator[tuple[float, float | None]]:
    """Yield (rate, duration) pairs; the last one has no duration: it runs until the volume is given."""
    rate, duration = min(start, ceiling), first_duration
    for _ in range(_MAX_STEPS):
        following = min(_next_rate(rate, titration, protocol), ceiling)
        if following <= rate:
            yield rate, None
            return
        yield rate, duration
        rate, duration = following, interval
    raise RatePlanError(
        "titration-misconfigured", f"titration did not reach {ceiling:g} mg/kg/min in {_MAX_STEPS} steps"
    )


def plan_iv_rates(
    product: Product,
    indication: Indication,
    volume_ml: float,
    rate_weight_kg: float,
    *,
    at_risk: bool = False,
    history: InfusionHistory | None = None,
    settings: DosingSettings | None = None,
    order_max_rate_mg_per_kg_per_min: float | None = None,
    min_duration_min: float | None = None,
    min_duration_source: str = "",
) -> RatePlan:
    """Plan the rate steps to give `volume_ml` of `product` for `indication`.

    The ceiling is the label maximum, lowered by a risk cap (at-risk patients), the prescriber's maximum for
    this order, and the rate that would finish the infusion in `min_duration_min` (Kawasaki: 8 h).
    """
    settings = settings or DosingSettings()
    history = history or InfusionHistory()
    findings: list[Finding] = []
    limits = product.iv_rate_limits(indication)
    if limits is None:
        limits = conservative_limits(product, indication)
        if limits is not None:
            findings.append(
                Finding(
                    "off-label-rate-limits",
                    Severity.CAUTION,
                    f"{product.name} has no labelled rates for {indication}: using its most cautious "
                    f"labelled limits ({limits.source})",
                    limits.source,
                    product.slug,
                )
            )
    concentration = _known(product.concentration_g_per_100ml)
    initial = None if limits is None else _known(limits.initial_rate_mg_per_kg_per_min)
    label_max = None if limits is None else _known(limits.max_rate_mg_per_kg_per_min)
    if limits is None or concentration is None or initial is None or label_max is None:
        raise RatePlanError(
            "rate-data-missing",
            f"{product.name}: initial or maximum IV rate (or concentration) is not in label data; "
            "the site must configure rates for this product before a rate plan can be made",
        )

    ceiling = label_max
    order_cap = order_max_rate_mg_per_kg_per_min
    if order_cap is not None and order_cap < ceiling:
        ceiling = order_cap
        findings.append(
            Finding(
                "order-max-rate",
                Severity.INFO,
                f"the prescriber's maximum for this order: {order_cap:g} mg/kg/min (label {label_max:g})",
                "prescriber, this order",
                product.slug,
                field="max_rate",
            )
        )
    if at_risk:
        ceiling = min(ceiling, _risk_ceiling(product, limits, label_max, settings, findings, order_cap))
    if min_duration_min:
        ceiling = _duration_ceiling(
            ceiling, volume_ml, concentration, rate_weight_kg, min_duration_min, min_duration_source, findings
        )

    protocol = settings.protocol_for(product.slug)
    interval = _known(limits.titration.interval_min) or protocol.interval_min
    first_duration = _known(limits.initial_duration_min) or interval
    start = initial
    last = history.last_tolerated_rate_mg_per_kg_per_min
    restart = treat_as_first_infusion(history, settings.restart_after_weeks)
    if settings.allow_start_at_last_tolerated_rate and last is not None and not restart and last > initial:
        start, first_duration = min(last, ceiling), interval
        findings.append(
            Finding(
                "start-at-last-tolerated-rate",
                Severity.INFO,
                f"starting at the last tolerated rate {start:g} mg/kg/min (site setting)",
                "site setting: allow_start_at_last_tolerated_rate",
                product.slug,
            )
        )

    steps = _integrate(
        _rate_schedule(start, first_duration, interval, ceiling, limits.titration, protocol),
        volume_ml,
        rate_weight_kg,
        concentration,
        settings.pump_precision_ml_per_h,
    )
    duration = steps[-1].start_min + steps[-1].duration_min if steps else 0.0
    return RatePlan(steps, volume_ml, duration, rate_weight_kg, ceiling, label_max, limits, tuple(findings))


def _duration_ceiling(
    ceiling: float,
    volume_ml: float,
    concentration: float,
    weight_kg: float,
    min_duration_min: float,
    source: str,
    findings: list[Finding],
) -> float:
    """Lower the ceiling to the rate that gives the whole volume in `min_duration_min`, never faster."""
    mg = volume_ml * concentration * 10.0  # g/100 mL -> mg/mL
    even_rate = mg / weight_kg / min_duration_min
    if even_rate >= ceiling:
        return ceiling
    findings.append(
        Finding(
            "minimum-duration-rate-cap",
            Severity.INFO,
            f"rates capped at {even_rate:.2f} mg/kg/min so the infusion takes at least "
            f"{min_duration_min / 60:g} h",
            source,
            field="max_rate",
        )
    )
    return even_rate


def _risk_ceiling(
    product: Product,
    limits: IvRateLimits,
    label_max: float,
    settings: DosingSettings,
    findings: list[Finding],
    order_cap: float | None = None,
) -> float:
    """Return the lower of the label's risk cap and the site cap; say which applied, or stop when none exists.

    With no labelled cap, no site cap and no lower maximum set by the prescriber for this order, the plan
    stops: the boxed warning asks for the minimum rate practicable, and 8 mg/kg/min is not that.
    """
    label_cap = _known(limits.risk_max_rate_mg_per_kg_per_min)
    site_cap = settings.risk_rate_cap_mg_per_kg_per_min
    candidates = ((label_cap, limits.risk_max_rate_mg_per_kg_per_min.source), (site_cap, "site risk cap"))
    known = [(cap, source) for cap, source in candidates if cap is not None]
    if not known:
        if order_cap is not None and order_cap < label_max:
            findings.append(
                Finding(
                    "risk-rate-cap-by-order",
                    Severity.INFO,
                    f"thrombosis or renal risk: {product.name} has no labelled rate cap; the prescriber's "
                    f"maximum of {order_cap:g} mg/kg/min applies; ensure adequate hydration",
                    BOXED_WARNING_SOURCE,
                    product.slug,
                    field="max_rate",
                )
            )
            return order_cap
        findings.append(
            Finding(
                "no-labelled-risk-cap",
                Severity.STOP,
                f"thrombosis or renal risk: {product.name} has no labelled rate cap and the site has set "
                f"none; the label maximum is {label_max:g} mg/kg/min. Set a lower maximum rate for this "
                "order, or the site sets a risk cap (risk_rate_cap_mg_per_kg_per_min)",
                BOXED_WARNING_SOURCE,
                product.slug,
                field="max_rate",
            )
        )
        return label_max
    cap, source = min(known)
    ceiling = min(cap, label_max)
    findings.append(
        Finding(
            "risk-rate-cap",
            Severity.INFO,
            f"thrombosis or renal risk: rate capped at {ceiling:g} mg/kg/min (label maximum {label_max:g}); "
            "ensure adequate hydration",
            source,
            product.slug,
            field="max_rate",
        )
    )
    return ceiling


def _integrate(
    schedule: Iterator[tuple[float, float | None]],
    volume_ml: float,
    weight_kg: float,
    concentration: float,
    precision_ml_per_h: float,
) -> tuple[RateStep, ...]:
    """Turn rates into pump steps until `volume_ml` is given; fewer steps when it runs out early."""
    steps: list[RateStep] = []
    remaining, start = volume_ml, 0.0
    for rate, planned in schedule:
        ml_per_h = round_down(pump_ml_per_h(rate, weight_kg, concentration), precision_ml_per_h)
        if ml_per_h <= 0:
            raise RatePlanError(
                "pump-precision-too-coarse",
                f"{rate:g} mg/kg/min for {weight_kg:.1f} kg rounds to 0 mL/h at a pump precision of "
                f"{precision_ml_per_h:g} mL/h",
            )
        needed_min = remaining * 60.0 / ml_per_h
        last = planned is None or needed_min <= planned + _VOLUME_EPSILON_ML
        duration = needed_min if last else float(planned or 0.0)
        given = remaining if last else ml_per_h * duration / 60.0
        steps.append(
            RateStep(
                start_min=start,
                duration_min=duration,
                rate_mg_per_kg_per_min=rate,
                rate_ml_per_kg_per_h=mg_per_kg_per_min_to_ml_per_kg_per_h(rate, concentration),
                rate_ml_per_h=ml_per_h,
                volume_ml=given,
            )
        )
        remaining -= given
        start += duration
        if last:
            break
    return tuple(steps)

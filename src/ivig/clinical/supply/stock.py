"""Usable supply and days of stock: on hand in date, not quarantined, on order, used first-expiry-first-out.

Days of stock is the number of whole days the supply covers the forecast: day by day, deliveries arrive on
their expected day, lots are usable to the end of their expiry day, each day's demand takes the lot that
expires first (FEFO), and grams left in a lot past its expiry are lost. The first day whose demand cannot be
met is the day stock runs out; its index is the days of stock (0: short today). Under the forecast's upper
band the stock runs out sooner (the low figure), under its lower band later (the high figure). None: the
stock lasts the whole horizon. Vials are counted in grams: a shortage of one vial size that another size of
the same product covers is not a shortage here.

Overall pools every product, as if any could replace any: the optimistic figure; the first product to run out
is named beside it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ivig.clinical.supply.forecast import DemandForecast
from ivig.clinical.supply.model import IncomingOrder, StockLot, SupplyData

OVERALL = "all products"
_EPSILON_G = 1e-6


@dataclass(frozen=True, slots=True)
class ProductSupply:
    product: str
    on_hand_g: float  # usable: in date on the day, not quarantined
    quarantined_g: float
    expired_g: float  # on the shelf but already past expiry
    on_order_g: float
    by_location: tuple[tuple[str, float], ...]  # usable grams per location
    next_expiry: date | None  # the earliest expiry among usable lots


@dataclass(frozen=True, slots=True)
class DaysOfStock:
    product: str
    days: int | None  # under the expected demand; None = beyond the horizon
    days_low: int | None  # under the upper demand band (sooner)
    days_high: int | None  # under the lower demand band (later)
    runs_out_on: date | None
    expiring_unused_g: float  # usable grams that expire before use within the horizon (expected demand)
    demand_g: float  # expected demand over the horizon
    supply: ProductSupply

    def display(self, horizon_days: int) -> str:
        return f">{horizon_days}" if self.days is None else str(self.days)


@dataclass(frozen=True, slots=True)
class StockOutlook:
    as_of: date
    horizon_days: int
    products: tuple[DaysOfStock, ...]
    overall: DaysOfStock
    first_short: str | None  # the product that runs out first (expected demand), if any

    def for_product(self, slug: str) -> DaysOfStock | None:
        return next((p for p in self.products if p.product == slug), None)


def usable(lot: StockLot, on: date) -> bool:
    """A lot counts as supply when it is not quarantined and not past its expiry day."""
    return not lot.quarantined and lot.expires_on >= on and lot.count > 0


def product_supply(
    product: str, lots: Sequence[StockLot], incoming: Sequence[IncomingOrder], as_of: date
) -> ProductSupply:
    good = [lot for lot in lots if usable(lot, as_of)]
    locations: dict[str, float] = defaultdict(float)
    for lot in good:
        locations[lot.location] += lot.grams
    return ProductSupply(
        product=product,
        on_hand_g=round(sum(lot.grams for lot in good), 2),
        quarantined_g=round(sum(lot.grams for lot in lots if lot.quarantined), 2),
        expired_g=round(sum(lot.grams for lot in lots if not lot.quarantined and lot.expires_on < as_of), 2),
        on_order_g=round(sum(order.grams for order in incoming if order.expected_on >= as_of), 2),
        by_location=tuple(sorted((k, round(v, 2)) for k, v in locations.items())),
        next_expiry=min((lot.expires_on for lot in good), default=None),
    )


def run_out_day(
    daily_demand_g: Sequence[float],
    lots: Sequence[tuple[int, int, float]],
) -> tuple[int | None, float]:
    """FEFO: return (first day demand is not met or None, grams expired unused within the horizon).

    `lots`: (arrival day, last usable day, grams), days counted from the forecast's first day; a lot arriving
    before day 0 is on hand; a last usable day past the horizon is fine.
    """
    horizon = len(daily_demand_g)
    pending = sorted(lots)
    shelf: list[list[float]] = []  # [last usable day, grams], kept sorted by expiry
    expired = 0.0
    next_arrival = 0
    for day in range(horizon):
        while next_arrival < len(pending) and pending[next_arrival][0] <= day:
            _, last, grams = pending[next_arrival]
            shelf.append([float(last), grams])
            next_arrival += 1
            shelf.sort()
        while shelf and shelf[0][0] < day:
            expired += shelf.pop(0)[1]
        need = daily_demand_g[day]
        while need > _EPSILON_G and shelf:
            take = min(need, shelf[0][1])
            shelf[0][1] -= take
            need -= take
            if shelf[0][1] <= _EPSILON_G:
                shelf.pop(0)
        if need > _EPSILON_G:
            return day, round(expired, 2)
    return None, round(expired, 2)


def _lots(
    lots: Sequence[StockLot], incoming: Sequence[IncomingOrder], as_of: date, horizon: int
) -> list[tuple[int, int, float]]:
    far = horizon + 1
    rows = [(0, (lot.expires_on - as_of).days, lot.grams) for lot in lots if usable(lot, as_of)]
    for order in incoming:
        if order.expected_on < as_of:
            continue
        last = far if order.expires_on is None else (order.expires_on - as_of).days
        rows.append(((order.expected_on - as_of).days, last, order.grams))
    return rows


def _daily(cumulative: Sequence[float]) -> list[float]:
    out, previous = [], 0.0
    for value in cumulative:
        out.append(max(value - previous, 0.0))
        previous = value
    return out


def _days_of_stock(
    product: str,
    expected: Sequence[float],
    cumulative_lower: Sequence[float],
    cumulative_upper: Sequence[float],
    lots: list[tuple[int, int, float]],
    supply: ProductSupply,
    as_of: date,
) -> DaysOfStock:
    days, expiring = run_out_day(expected, lots)
    low, _ = run_out_day(_daily(cumulative_upper), lots)
    high, _ = run_out_day(_daily(cumulative_lower), lots)
    return DaysOfStock(
        product=product,
        days=days,
        days_low=low,
        days_high=high,
        runs_out_on=None if days is None else as_of + timedelta(days=days),
        expiring_unused_g=expiring,
        demand_g=round(sum(expected), 2),
        supply=supply,
    )


def days_of_stock(forecast: DemandForecast, data: SupplyData) -> StockOutlook:
    """Days of stock per product and overall for the forecast's horizon, from `data`'s stock and orders."""
    as_of, horizon = forecast.as_of, forecast.horizon_days
    lots_by: dict[str, list[StockLot]] = defaultdict(list)
    incoming_by: dict[str, list[IncomingOrder]] = defaultdict(list)
    for lot in data.stock:
        lots_by[lot.product].append(lot)
    for order in data.incoming:
        incoming_by[order.product].append(order)
    slugs = sorted({p.product for p in forecast.products} | set(lots_by) | set(incoming_by))
    zero = (0.0,) * horizon
    rows, all_lots = [], []
    totals = [[0.0] * horizon for _ in range(3)]
    for slug in slugs:
        pf = forecast.for_product(slug)
        expected = pf.expected_g if pf else zero
        lower = pf.cumulative_lower_g if pf else zero
        upper = pf.cumulative_upper_g if pf else zero
        lots = _lots(lots_by[slug], incoming_by[slug], as_of, horizon)
        all_lots += lots
        supply = product_supply(slug, lots_by[slug], incoming_by[slug], as_of)
        rows.append(_days_of_stock(slug, expected, lower, upper, lots, supply, as_of))
        for total, values in zip(totals, (expected, lower, upper), strict=True):
            for i, v in enumerate(values):
                total[i] += v
    pooled = ProductSupply(
        OVERALL,
        round(sum(r.supply.on_hand_g for r in rows), 2),
        round(sum(r.supply.quarantined_g for r in rows), 2),
        round(sum(r.supply.expired_g for r in rows), 2),
        round(sum(r.supply.on_order_g for r in rows), 2),
        (),
        min((r.supply.next_expiry for r in rows if r.supply.next_expiry), default=None),
    )
    overall = _days_of_stock(OVERALL, totals[0], totals[1], totals[2], all_lots, pooled, as_of)
    short = [r for r in rows if r.days is not None and r.demand_g > 0]
    first = min(short, key=lambda r: (r.days, r.product)).product if short else None
    return StockOutlook(as_of, horizon, tuple(rows), overall, first)

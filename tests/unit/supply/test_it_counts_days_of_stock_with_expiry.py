"""Days of stock: usable lots only, first expiry first out, deliveries on their day, band low/high."""

from __future__ import annotations

import pytest

from ivig.clinical.supply import (
    OVERALL,
    Appointment,
    ForecastSettings,
    IncomingOrder,
    ProductInfo,
    StockLot,
    SupplyData,
    UsageRecord,
    days_of_stock,
    forecast_demand,
)

from .helpers import DAY0, PRODUCT, data, day

SETTINGS = ForecastSettings(horizon_days=30, use_trend=False)


def _daily(grams: float = 10.0, days: int = 30, product: str = PRODUCT) -> tuple[Appointment, ...]:
    return tuple(Appointment(f"a{i}{product}", f"p{i}", product, day(i), grams) for i in range(days))


def _lot(grams: float, expires: int, **kw: object) -> StockLot:
    fields: dict[str, object] = {
        "product": PRODUCT,
        "lot": "L",
        "vial_g": grams,
        "count": 1,
        "location": "pharmacy",
        "expires_on": day(expires),
    }
    fields.update(kw)
    return StockLot(**fields)  # type: ignore[arg-type]


def _outlook(supply: SupplyData):  # type: ignore[no-untyped-def]
    return days_of_stock(forecast_demand(supply, SETTINGS), supply)


def test_it_counts_whole_days_covered() -> None:
    row = _outlook(data(appointments=_daily(), stock=(_lot(100.0, 200),))).products[0]
    assert row.days == 10 and row.runs_out_on == day(10)


def test_it_says_beyond_the_horizon_when_stock_lasts() -> None:
    row = _outlook(data(appointments=_daily(), stock=(_lot(1000.0, 200),))).products[0]
    assert row.days is None and row.display(30) == ">30"


def test_it_loses_grams_that_expire_before_use() -> None:
    row = _outlook(data(appointments=_daily(), stock=(_lot(60.0, 2), _lot(50.0, 200)))).products[0]
    # days 0-2 use 30 g of the first lot, 30 g expire at the end of day 2, then 50 g last 5 days
    assert row.expiring_unused_g == pytest.approx(30.0)
    assert row.days == 8


def test_it_uses_the_lot_that_expires_first() -> None:
    lots = (_lot(50.0, 200, lot="late"), _lot(50.0, 5, lot="early"))
    row = _outlook(data(appointments=_daily(), stock=lots)).products[0]
    assert row.expiring_unused_g == 0.0 and row.days == 10


def test_it_leaves_out_quarantined_and_expired_lots() -> None:
    lots = (_lot(100.0, 200), _lot(500.0, 200, quarantined=True), _lot(500.0, -1))
    row = _outlook(data(appointments=_daily(), stock=lots)).products[0]
    assert row.days == 10
    assert row.supply.on_hand_g == 100.0
    assert row.supply.quarantined_g == 500.0 and row.supply.expired_g == 500.0


def test_it_adds_deliveries_on_their_expected_day() -> None:
    incoming = (IncomingOrder(PRODUCT, 10.0, 10, day(10)),)
    row = _outlook(data(appointments=_daily(), stock=(_lot(100.0, 200),), incoming=incoming)).products[0]
    assert row.days == 20 and row.supply.on_order_g == 100.0
    late = (IncomingOrder(PRODUCT, 10.0, 10, day(12)),)
    assert (
        _outlook(data(appointments=_daily(), stock=(_lot(100.0, 200),), incoming=late)).products[0].days == 10
    )


def test_it_gives_fewer_days_under_the_upper_band() -> None:
    usage = tuple(UsageRecord(day(-i), PRODUCT, 10.0) for i in range(1, 57))
    supply = data(usage=usage, stock=(_lot(150.0, 200),))
    row = days_of_stock(forecast_demand(supply, ForecastSettings(horizon_days=30)), supply).products[0]
    assert row.days == 15
    assert row.days_low is not None and row.days_high is not None
    assert row.days_low < 15 < row.days_high


def test_it_pools_products_overall_and_names_the_first_short() -> None:
    products = (ProductInfo(PRODUCT, "A"), ProductInfo("prod-b", "B"))
    stock = (_lot(100.0, 200), _lot(200.0, 200, product="prod-b"))
    supply = SupplyData(DAY0, products, appointments=_daily() + _daily(5.0, product="prod-b"), stock=stock)
    outlook = _outlook(supply)
    assert outlook.for_product("prod-b").days is None  # type: ignore[union-attr]
    assert outlook.overall.product == OVERALL and outlook.overall.days == 20
    assert outlook.first_short == PRODUCT

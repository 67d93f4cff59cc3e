"""Days of stock, the suggested phase and the chart: the supply core run on this site's data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.safestring import SafeString

from ivig.clinical.supply import (
    BacktestResult,
    DaysOfStock,
    ForecastSettings,
    PhaseSuggestion,
    StockOutlook,
    SupplyData,
    backtest,
    days_of_stock,
    forecast_demand,
    suggest_phase,
)
from ivig.clinical.supply import Phase as CorePhase
from ivig.lib.charts import BarChart, BarSeries
from ivig.siteconfig.models import SiteSettings
from ivig.siteconfig.shortage import ShortagePolicy
from ivig.supply.inputs import supply_data

HORIZON_DAYS = 90  # the forecast's horizon (the core's default); "more than 90 days" beyond it
BACKTEST_MONTHS = 12  # the past whole months the backtest forecasts and compares


@dataclass(frozen=True)
class Outlook:
    data: SupplyData
    stock: StockOutlook
    suggestion: PhaseSuggestion
    accuracy: BacktestResult

    @property
    def rows(self) -> list[DaysOfStock]:
        return [*self.stock.products, self.stock.overall]


def forecast_settings() -> ForecastSettings:
    rounding = SiteSettings.load().dosing_settings().rounding_rule
    return ForecastSettings(horizon_days=HORIZON_DAYS, rounding_rule=rounding)


def outlook(today: date, phase: str, *, site: str = "") -> Outlook:
    data, settings = supply_data(today, site=site), forecast_settings()
    stock = days_of_stock(forecast_demand(data, settings), data)
    suggestion = suggest_phase(
        CorePhase(phase), stock.overall.days_low, ShortagePolicy.load().thresholds(), HORIZON_DAYS
    )
    return Outlook(data, stock, suggestion, past_accuracy(data, today))


def past_accuracy(data: SupplyData, today: date) -> BacktestResult:
    """The backtest over the last whole months (at most BACKTEST_MONTHS) before `today`."""
    first = today.replace(day=1)
    months = []
    for _ in range(BACKTEST_MONTHS):
        first = (first - timedelta(days=1)).replace(day=1)
        months.append(first)
    used_from = min((u.day for u in data.usage), default=today)
    months = [m for m in months if m > used_from]
    return backtest(data, forecast_settings(), sorted(months))


def _days(value: int | None) -> float:
    return float(HORIZON_DAYS if value is None else value)


def days_chart(view: Outlook) -> SafeString:
    """Days of stock per product and overall: expected demand, and the upper demand band (sooner)."""
    rows = view.rows
    labels = [row.product for row in rows]
    chart = BarChart(
        labels,
        [
            BarSeries("days (expected demand)", "chart-bar s0", [_days(r.days) for r in rows]),
            BarSeries("days (upper demand band)", "chart-bar s1", [_days(r.days_low) for r in rows]),
        ],
        "days of stock",
        unit=" days",
    )
    return chart.render(
        "Days of stock per product",
        f"Days each product lasts under the forecast demand; {HORIZON_DAYS} means {HORIZON_DAYS} or more.",
        "supply-days",
    )

"""`ivig supply forecast`: days of stock per product from a site's data export (JSON), as a table or JSON.

numpy and the supply engine are imported inside the command, so `ivig --help` stays fast.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from ivig.cli.app import app, fail

if TYPE_CHECKING:
    from ivig.clinical.supply import DaysOfStock, StockOutlook

supply_app = typer.Typer(
    help="Supply: demand forecast and days of stock from a site's data export.", no_args_is_help=True
)
app.add_typer(supply_app, name="supply")

DEFAULT_HORIZON_DAYS = 90
MAX_HORIZON_DAYS = 730
PIPED_WIDTH = 110


def _days(value: int | None, horizon: int) -> str:
    return f">{horizon}" if value is None else str(value)


def _range(low: int | None, high: int | None, horizon: int) -> str:
    if low == high:
        return _days(low, horizon)
    return f"{_days(low, horizon)}-{_days(high, horizon)}"


def _row_json(row: DaysOfStock, horizon: int) -> dict[str, object]:
    return {
        "product": row.product,
        "days_of_stock": row.days,
        "days_of_stock_low": row.days_low,
        "days_of_stock_high": row.days_high,
        "beyond_horizon": row.days is None,
        "runs_out_on": None if row.runs_out_on is None else row.runs_out_on.isoformat(),
        "demand_g": row.demand_g,
        "on_hand_g": row.supply.on_hand_g,
        "on_order_g": row.supply.on_order_g,
        "quarantined_g": row.supply.quarantined_g,
        "expired_g": row.supply.expired_g,
        "expiring_unused_g": row.expiring_unused_g,
        "next_expiry": None if row.supply.next_expiry is None else row.supply.next_expiry.isoformat(),
        "by_location": dict(row.supply.by_location),
        "display": _days(row.days, horizon),
    }


def outlook_json(outlook: StockOutlook) -> dict[str, object]:
    horizon = outlook.horizon_days
    return {
        "as_of": outlook.as_of.isoformat(),
        "horizon_days": horizon,
        "products": [_row_json(r, horizon) for r in outlook.products],
        "overall": _row_json(outlook.overall, horizon),
        "first_short": outlook.first_short,
    }


@supply_app.command("forecast")
def forecast(
    export: Annotated[Path, typer.Argument(help="The site's supply data export (JSON).")],
    horizon_days: Annotated[
        int, typer.Option("--horizon-days", help=f"Days ahead, 1-{MAX_HORIZON_DAYS}.")
    ] = DEFAULT_HORIZON_DAYS,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Forecast demand and print days of stock per product (low-high from the forecast's band)."""
    from ivig.clinical.supply import (
        ForecastSettings,
        SupplyExportError,
        days_of_stock,
        forecast_demand,
        parse_export,
    )

    if not 1 <= horizon_days <= MAX_HORIZON_DAYS:
        fail(f"--horizon-days must be between 1 and {MAX_HORIZON_DAYS}")
    try:
        raw = json.loads(export.read_text(encoding="utf-8"))
    except FileNotFoundError:
        fail(f"no such file: {export}")
    except (OSError, UnicodeDecodeError) as error:
        fail(f"cannot read {export}: {error}")
    except json.JSONDecodeError as error:
        fail(f"{export} is not JSON: {error}")
    try:
        data = parse_export(raw)
    except SupplyExportError as error:
        fail(f"invalid export: {error}")
    outlook = days_of_stock(forecast_demand(data, ForecastSettings(horizon_days=horizon_days)), data)
    if as_json:
        typer.echo(json.dumps(outlook_json(outlook), indent=2))
        return
    console = Console()
    if not console.is_terminal:  # piped or captured: do not cut the table to 80 columns
        console = Console(width=max(console.width, PIPED_WIDTH))
    console.print(_table(outlook, data.site))


def _table(outlook: StockOutlook, site: str) -> Table:
    horizon = outlook.horizon_days
    title = (
        f"Days of stock{' at ' + site if site else ''} on {outlook.as_of:%Y-%m-%d}, "
        f"horizon {horizon} days (amounts in grams)"
    )
    table = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    table.add_column("Product", no_wrap=True)
    table.add_column("Days", justify="right", no_wrap=True)
    table.add_column("Low-high", justify="right", no_wrap=True)
    table.add_column("Runs out", no_wrap=True)
    for column in ("Demand", "On hand", "Ordered", "Quarant.", "Expiring"):
        table.add_column(column, justify="right", no_wrap=True)
    for row in (*outlook.products, outlook.overall):
        table.add_row(
            row.product,
            _days(row.days, horizon),
            _range(row.days_low, row.days_high, horizon),
            "" if row.runs_out_on is None else f"{row.runs_out_on:%Y-%m-%d}",
            f"{row.demand_g:,.0f}",
            f"{row.supply.on_hand_g:,.0f}",
            f"{row.supply.on_order_g:,.0f}",
            f"{row.supply.quarantined_g:,.0f}",
            f"{row.expiring_unused_g:,.0f}",
        )
    if outlook.first_short:
        table.caption = (
            f"First to run out: {outlook.first_short}. Low-high: under the forecast's upper and lower band. "
            "Quarant.: quarantined. Expiring: usable grams that expire before use. All products: pooled "
            "(optimistic)."
        )
    else:
        table.caption = (
            "Low-high: under the forecast's upper and lower band. Quarant.: quarantined. Expiring: usable "
            "grams that expire before use. All products: pooled (optimistic)."
        )
    return table

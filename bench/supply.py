"""Benchmark the supply forecast and its backtest (issue 20).

Target: forecast and days of stock for 10,000 patients and 25 products in <= 1 s. Backtest error: MAPE by
product and month on a generated 10,000-patient year (`ivig.clinical.supply.generate`), and on a site's
export when given (`--export FILE.json`, e.g. the demo's year of history written by the site exporter).
Not a timed test. Run: .venv/bin/python bench/supply.py [--patients N] [--products P] [--export FILE]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import time
from pathlib import Path

from ivig.clinical.supply import (
    ALL_PRODUCTS,
    BacktestResult,
    ForecastSettings,
    SupplyData,
    backtest,
    days_of_stock,
    forecast_demand,
    parse_export,
)
from ivig.clinical.supply.forecast import clear_vial_plan_cache
from ivig.clinical.supply.generate import generate_history

PATIENTS = 10_000
PRODUCTS = 25
TARGET_S = 1.0
RUNS = 5


def _forecast_seconds(data: SupplyData) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of each run; the vial plans' cache is emptied before each (cold)."""
    wall, cpu = [], []
    for _ in range(RUNS):
        clear_vial_plan_cache()
        begin, begin_cpu = time.perf_counter(), time.process_time()
        days_of_stock(forecast_demand(data, ForecastSettings()), data)
        wall.append(time.perf_counter() - begin)
        cpu.append(time.process_time() - begin_cpu)
    return wall, cpu


def _fmt(value: float | None) -> str:
    return "   -" if value is None else f"{value:4.1f}"


def print_backtest(title: str, result: BacktestResult) -> None:
    months = result.months
    if not months:
        print(f"{title}: no whole month of history to backtest")
        return
    by_product = result.mape_by_product()
    print(f"\n{title}: absolute % error per product and month (forecast at the month's start), MAPE")
    header = f"{'product':<14} " + " ".join(f"{m:%y-%m}" for m in months) + "  MAPE"
    print(header)
    for product in (*result.products, ALL_PRODUCTS):
        cells = [result.cell(product, m) for m in months]
        row = " ".join(f"{_fmt(None if c is None else c.ape_pct):>5}" for c in cells)
        print(f"{product[:14]:<14} {row}  {_fmt(by_product[product])}")
    product_mapes = [v for k, v in by_product.items() if k != ALL_PRODUCTS and v is not None]
    if product_mapes:
        print(
            f"MAPE per product: median {statistics.median(product_mapes):.1f} %, "
            f"range {min(product_mapes):.1f}-{max(product_mapes):.1f} %; "
            f"all products together: {_fmt(by_product[ALL_PRODUCTS]).strip()} %"
        )
    coverage = result.band_coverage_pct()
    if coverage is not None:
        print(f"Use within the forecast's 90 % band: {coverage:.0f} % of product-months")


def _timing(data: SupplyData, label: str, note: str) -> bool:
    wall, cpu = _forecast_seconds(data)
    median_wall, median_cpu = statistics.median(wall), statistics.median(cpu)
    ok = median_wall <= TARGET_S
    verdict_cpu = "PASS" if median_cpu <= TARGET_S else "FAIL"
    load = os.getloadavg()[0]
    print(
        f"Forecast + days of stock, {label}, 90 days, {RUNS} runs{note}: wall median {median_wall:.3f} s "
        f"(max {max(wall):.3f}), CPU median {median_cpu:.3f} s (max {max(cpu):.3f}); "
        f"target <= {TARGET_S:g} s: {'PASS' if ok else 'FAIL'} on wall time, {verdict_cpu} on CPU time "
        f"(load average {load:.1f} on {os.cpu_count()} CPUs)"
    )
    return ok


def run(data: SupplyData, label: str) -> bool:
    ok = _timing(data, label, "")
    # A long-running server keeps its data out of the cyclic garbage collector's full passes (gc.freeze):
    # the same runs with the history frozen show what the collector's passes over it cost.
    gc.collect()
    gc.freeze()
    try:
        _timing(data, label, " (history frozen out of the GC)")  # shown; the exit status is the first
    finally:
        gc.unfreeze()
    begin = time.perf_counter()
    result = backtest(data)
    print(f"Backtest of {len(result.months)} months: {time.perf_counter() - begin:.2f} s")
    print_backtest(f"Backtest, {label}", result)
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=PATIENTS)
    parser.add_argument("--products", type=int, default=PRODUCTS)
    parser.add_argument("--export", type=Path, help="a site's supply export (JSON), e.g. the demo history")
    args = parser.parse_args(argv)
    begin = time.perf_counter()
    data = generate_history(patients=args.patients, products=args.products)
    print(
        f"Generated {args.patients:,} patients, {args.products} products, a year: {len(data.usage):,} uses, "
        f"{len(data.appointments):,} bookings in {time.perf_counter() - begin:.1f} s"
    )
    ok = run(data, f"{args.patients:,} generated patients, {args.products} products")
    if args.export is not None:
        site = parse_export(json.loads(args.export.read_text(encoding="utf-8")))
        patients = len({u.patient_id for u in site.usage} | {o.patient_id for o in site.recurring})
        print(
            f"\nExport {args.export} ({site.site or 'site'}, as of {site.as_of}): {patients:,} patients, "
            f"{len(site.products)} products, {len(site.usage):,} uses"
        )
        run(site, f"export {args.export.name}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

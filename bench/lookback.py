"""Benchmark the recall lookback on a large generated history (issue 7).

Generates 100,000 patients, 2 million dispensed orders with 2 million infusions (one a order, a fifth of them
at home) and 4 million vial dispensings (DispensedLot rows, each with its stock ledger row and a bedside scan
of one of its vials; a third of the infusions end with a partly used vial) in a fresh database of its own,
with bulk INSERT ... SELECT statements that run in the database, and the application's lot receipt register
from them (`ivig.hemovigilance.receipts.refresh`, as the migration makes it), then measures:

- the lot lookback through the application's own code (`ivig.hemovigilance.lookback.lookback_by_number`:
  the register, checked against the dispensing and scan counts of the lot): p50 and p99, against one plain
  SQL query returning the same rows on the same database (and their ratio);
- the same lookback by hand from the sources (dispensings and scans joined to orders, infusions and
  patients, no register): what the register saves; the application must find the same patients;
- the lookback page over HTTP (Django test client, signed in as Quality): p95.

Targets: p99 <= 10 ms at the query layer on PostgreSQL, app/plain ratio <= 2.

Run:  .venv/bin/python bench/lookback.py --scale 0.01                      # SQLite, quick
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/ivig .venv/bin/python bench/lookback.py   # PostgreSQL

The database is Django's test database for the configured one (`<name>_lookback_bench` on PostgreSQL,
var/bench-lookback.sqlite3 on SQLite, or --sqlite-path): made afresh and dropped at the end unless --keep;
--reuse measures again on a database kept earlier. Not part of the test suite (a small test runs it tiny).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ivig.config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

FULL = {"patients": 100_000, "orders": 2_000_000, "vials": 4_000_000, "lots": 10_000}
YEARS_MINUTES = 10 * 365 * 24 * 60  # the history spans ten years


def _models() -> dict[str, Any]:
    from ivig.hemovigilance.models import LotReceipt
    from ivig.infusions.models import InfusionSession, VialScan
    from ivig.inventory.models import Location, Lot, LotBalance, StockMovement, StockProduct
    from ivig.orders.models import DispensedLot, TherapyOrder
    from ivig.patients.models import Patient
    from ivig.siteconfig.models import CareSite

    return {
        "patient": Patient,
        "order": TherapyOrder,
        "dispensed": DispensedLot,
        "movement": StockMovement,
        "lot": Lot,
        "balance": LotBalance,
        "product": StockProduct,
        "location": Location,
        "site": CareSite,
        "session": InfusionSession,
        "scan": VialScan,
        "receipt": LotReceipt,
    }


class Dialect:
    """The few SQL pieces that differ between PostgreSQL and SQLite."""

    def __init__(self, vendor: str) -> None:
        self.pg = vendor == "postgresql"

    def numbers(self, count: int) -> str:
        if self.pg:
            return f"WITH s(n) AS (SELECT generate_series(1, {count}))"
        return f"WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {count})"

    def timestamp(self, minutes: str) -> str:
        if self.pg:
            return f"(TIMESTAMPTZ '2016-01-01 00:00:00+00' + ({minutes}) * INTERVAL '1 minute')"
        return f"datetime('2016-01-01 00:00:00', '+' || ({minutes}) || ' minutes')"

    def day(self, days: str) -> str:
        if self.pg:
            return f"(DATE '1935-01-01' + ({days})::int)"
        return f"date('1935-01-01', '+' || ({days}) || ' days')"

    def padded(self, number: str, width: int) -> str:
        if self.pg:
            return f"lpad(({number})::text, {width}, '0')"
        return f"printf('%0{width}d', {number})"


def _literal(value: Any, sql: Dialect) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE") if sql.pg else str(int(value))
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict | list):
        return "'{}'" if isinstance(value, dict) else "'[]'"
    return "'" + str(value).replace("'", "''") + "'"


def _with_defaults(model: Any, columns: dict[str, str], sql: Dialect) -> dict[str, str]:
    """The given columns, and every other column at its model default (the many flowsheet fields)."""
    full = dict(columns)
    for field in model._meta.concrete_fields:
        if field.column in full:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            full[field.column] = sql.timestamp("0")  # updated_at, created_at: the history's first day
        else:
            full[field.column] = _literal(None if field.null else field.get_default(), sql)
    return full


def _insert(table: str, columns: dict[str, str], numbers: str) -> str:
    names = ", ".join(columns)
    values = ", ".join(columns.values())
    return f"INSERT INTO {table} ({names}) {numbers} SELECT {values} FROM s"


def generate(sizes: dict[str, int], say: Callable[[str], None]) -> None:
    """Fill the empty database: users, sites, products, lots, patients, orders, dispensings, ledger."""
    from ivig.accounts.models import User

    m = _models()
    sql = Dialect(connection.vendor)
    prescriber = User.objects.create_user(username="bench-prescriber", password=None)
    pharmacist = User.objects.create_user(username="bench-pharmacist", password=None)
    nurse = User.objects.create_user(username="bench-nurse", password=None)
    sites = [m["site"].objects.create(name=f"Bench site {n}", phone=f"555-01{n:02d}") for n in range(3)]
    products = [
        m["product"].objects.create(catalog_slug="privigen", vial_size_g=20),
        m["product"].objects.create(catalog_slug="privigen", vial_size_g=5),
    ]
    pharmacy = m["location"].default()
    lots, orders, vials = sizes["lots"], sizes["orders"], sizes["vials"]
    infused = orders * 99 // 100  # the last orders are dispensed, not given yet
    half = max(lots // 2, 1)
    site_case = "CASE n % 3 " + " ".join(f"WHEN {i} THEN {s.pk}" for i, s in enumerate(sites)) + " END"
    steps = [
        (
            "lots",
            m["lot"],
            lots,
            {
                "id": "n",
                "product_id": f"CASE WHEN n <= {half} THEN {products[0].pk} ELSE {products[1].pk} END",
                "gtin": "NULL",
                "lot_number": "'BL' || " + sql.padded("n", 6),
                "expiry_date": sql.day("33000 + n % 1500"),
                "status": "'available'",
                "status_reason": "''",
                "received_at": sql.timestamp(f"(n % {half}) * {YEARS_MINUTES // half}"),
            },
        ),
        (
            "patients",
            m["patient"],
            sizes["patients"],
            {
                "id": "n",
                "mrn": "'B' || " + sql.padded("n", 7),
                "given_name": "'Given' || (n % 997)",
                "family_name": "'Family' || (n % 4999)",
                "given_key": "'given' || (n % 997)",
                "family_key": "'family' || (n % 4999)",
                "date_of_birth": sql.day("(n * 37) % 29000"),
                "sex_at_birth": "CASE n % 2 WHEN 0 THEN 'female' ELSE 'male' END",
                "care_site_id": site_case,
                "portal_user_id": "NULL",
                "created_at": sql.timestamp("0"),
                "updated_at": sql.timestamp("0"),
            },
        ),
        ("orders", m["order"], orders, _order_columns(sql, sizes, prescriber.pk, pharmacist.pk)),
        (
            "ledger rows",
            m["movement"],
            vials,
            {
                "id": "n",
                "lot_id": _lot_of_vial(sizes, half),
                "location_id": str(pharmacy.pk),
                "kind": "'dispense'",
                "quantity_vials": "-(1 + (((n + 1) / 2) * 7 + n % 2) % 3)",
                "reason_code": "''",
                "reason": "''",
                "reference": "'Bench order ' || ((n + 1) / 2)",
                "transfer_id": "NULL",
                "recorded_by_id": str(pharmacist.pk),
                "recorded_at": sql.timestamp(f"((n + 1) / 2) * {YEARS_MINUTES // orders}"),
            },
        ),
        (
            "vial dispensings",
            m["dispensed"],
            vials,
            {
                "id": "n",
                "order_id": "(n + 1) / 2",
                "lot_id": _lot_of_vial(sizes, half),
                "quantity_vials": "1 + (((n + 1) / 2) * 7 + n % 2) % 3",
                "movement_id": "n",
            },
        ),
        ("infusions", m["session"], infused, _session_columns(sql, sizes, nurse.pk)),
        (
            "bedside scans",
            m["scan"],
            2 * infused,
            {
                "id": "n",
                "session_id": "(n + 1) / 2",
                "entry": "'scan'",
                "lot_id": _lot_of_vial(sizes, half),
                "accepted": "TRUE" if sql.pg else "1",
                "scanned_by_id": str(nurse.pk),
                # the 20 g vial (odd n) is scanned, and hung, before the 5 g one
                "scanned_at": sql.timestamp(f"((n + 1) / 2) * {YEARS_MINUTES // orders} + 1441 - n % 2"),
            },
        ),
    ]
    for label, model, count, columns in steps:
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            columns = _with_defaults(model, columns, sql)
            cursor.execute(_insert(model._meta.db_table, columns, sql.numbers(count)))
            for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
                cursor.execute(statement)
        say(f"  {count:>10,} {label:<17} {time.perf_counter() - started:7.1f} s")
    movement, balance, lot = (m[key]._meta.db_table for key in ("movement", "balance", "lot"))
    with transaction.atomic(), connection.cursor() as cursor:
        # A delivery per lot of what was dispensed plus 5 vials still on hand: the ledger adds up.
        cursor.execute(
            f"INSERT INTO {movement} (lot_id, location_id, kind, quantity_vials, reason_code, reason, "
            f"reference, transfer_id, recorded_by_id, recorded_at) SELECT lot_id, {pharmacy.pk}, 'receive', "
            f"5 - SUM(quantity_vials), '', '', 'Bench delivery', NULL, {pharmacist.pk}, {sql.timestamp('0')} "
            f"FROM {movement} WHERE kind = 'dispense' GROUP BY lot_id"
        )
        cursor.execute(
            f"INSERT INTO {balance} (lot_id, location_id, on_hand_vials) "
            f"SELECT id, {pharmacy.pk}, 5 FROM {lot}"
        )
    from ivig.hemovigilance.models import LotReceipt
    from ivig.hemovigilance.receipts import refresh

    started = time.perf_counter()
    refresh()  # the application's register of receipts, made as the migration makes it
    say(f"  {LotReceipt.objects.count():>10,} lot receipts      {time.perf_counter() - started:7.1f} s")
    with connection.cursor() as cursor:  # VACUUM sets the visibility map, as autovacuum would after a load
        cursor.execute("VACUUM ANALYZE" if sql.pg else "ANALYZE")


def _lot_of_vial(sizes: dict[str, int], half: int) -> str:
    """Each order takes one lot of 20 g and one of 5 g vials; lots are used a few at a time, over time."""
    order = "((n + 1) / 2)"
    spread = f"CAST({order} - 1 AS BIGINT) * {half} / {sizes['orders']}"  # 4M x 5,000 overflows 32 bits
    return f"1 + (n % 2) * {half} + ({spread} + {order} % 3) % {half}"


def _session_columns(sql: Dialect, sizes: dict[str, int], nurse: int) -> dict[str, str]:
    """One infusion a day after each order's dispensing, a fifth at home; a third end with a partly used
    vial (Privigen 10%: 250 mL gives the 20 g and the 5 g vial, 220 mL only 2 g of the 5 g one, the rest
    wasted)."""
    start = f"n * {YEARS_MINUTES // sizes['orders']} + 1440"
    return {
        "id": "n",
        "order_id": "n",
        "patient_id": f"1 + (n - 1) % {sizes['patients']}",
        "day_number": "1",
        "setting": "CASE WHEN n % 5 = 0 THEN 'home' ELSE 'centre' END",
        "location": "CASE WHEN n % 5 = 0 THEN '' ELSE 'Chair ' || (1 + n % 8) END",
        "status": "'completed'",
        "volume_planned_ml": "250",
        "volume_given_ml": "CASE n % 3 WHEN 1 THEN 220 ELSE 250 END",
        "checklist_by_id": str(nurse),
        "checklist_at": sql.timestamp(start),
        "started_by_id": str(nurse),
        "started_at": sql.timestamp(f"{start} + 5"),
        "ended_by_id": str(nurse),
        "ended_at": sql.timestamp(f"{start} + 185"),
        "discharged_by_id": str(nurse),
        "discharged_at": sql.timestamp(f"{start} + 245"),
        "created_by_id": str(nurse),
        "created_at": sql.timestamp(start),
    }


def _order_columns(sql: Dialect, sizes: dict[str, int], prescriber: int, pharmacist: int) -> dict[str, str]:
    step = YEARS_MINUTES // sizes["orders"]
    when = sql.timestamp(f"n * {step}")
    return {
        "id": "n",
        "patient_id": f"1 + (n - 1) % {sizes['patients']}",
        "series_id": "NULL",
        "previous_id": "NULL",
        "version": "1",
        "status": f"CASE WHEN n > {sizes['orders'] * 99 // 100} THEN 'dispensed' ELSE 'completed' END",
        "regimen": "'pi'",
        "route": "'iv'",
        "product_slug": "'privigen'",
        "dose_g_per_kg": "0.4",
        "sc_dose_g": "NULL",
        "days": "1",
        "repeat_interval_weeks": "4",
        "cycles": "NULL",
        "review_date": "NULL",
        "weight_kg": "20 + n % 70",
        "height_cm": "NULL",
        "weight_basis": "''",
        "weight_basis_reason": "''",
        "override_reason": "''",
        "screening": "'{}'",
        "labs": "'{}'",
        "premedication": "''",
        "justification": "''",
        "signed_plan": "NULL",
        "verified_plan": "NULL",
        "verified_product_slug": "'privigen'",
        "verified_weight_kg": "20 + n % 70",
        "criteria_id": "NULL",
        "approval_required": "FALSE" if sql.pg else "0",
        "created_by_id": str(prescriber),
        "created_at": when,
        "updated_at": when,
        "prescriber_id": str(prescriber),
        "signed_at": when,
        "verified_by_id": str(pharmacist),
        "verified_at": when,
        "dispensed_by_id": str(pharmacist),
        "dispensed_at": when,
        "cancelled_by_id": "NULL",
        "cancelled_at": "NULL",
        "cancel_reason": "''",
    }


def plain_sql() -> str:
    """The application's lookback query written by hand: the yardstick for the application's code.

    The lot's receipts from the register (dispensings and bedside scans), each with its patient and site.
    """
    t = {key: model._meta.db_table for key, model in _models().items()}
    return (
        "SELECT r.session_id, r.lot_id, p.id, p.mrn, p.given_name, p.family_name, p.date_of_birth, cs.name, "
        "cs.phone, r.order_id, r.vials, r.at, r.status, r.order_root, r.order_version, r.day_number, "
        "r.setting, r.location, r.volume_given_ml, r.grams_before_g "
        f"FROM {t['receipt']} r JOIN {t['lot']} l ON l.id = r.lot_id JOIN {t['patient']} p "
        f"ON p.id = r.patient_id LEFT JOIN {t['site']} cs ON cs.id = p.care_site_id WHERE l.lot_number = %s"
    )


def source_sql() -> str:
    """The lookback from the sources themselves, by hand: the truth the register must match, and the cost
    of reading without it.

    The lot's dispensings, and its bedside scans with the grams opened before each in its infusion (which
    decide how much of a recalled vial was given).
    """
    t = {key: model._meta.db_table for key, model in _models().items()}
    return (
        "SELECT 'd', p.id, p.mrn, p.given_name, p.family_name, p.date_of_birth, cs.name, cs.phone, "
        "o.dispensed_at, dl.lot_id, dl.quantity_vials, o.id, o.series_id, o.version, o.status, "
        "pr.vial_size_g, NULL, NULL, NULL, NULL, NULL "
        f"FROM {t['dispensed']} dl JOIN {t['lot']} l ON l.id = dl.lot_id "
        f"JOIN {t['product']} pr ON pr.id = l.product_id JOIN {t['order']} o ON o.id = dl.order_id "
        f"JOIN {t['patient']} p ON p.id = o.patient_id LEFT JOIN {t['site']} cs ON cs.id = p.care_site_id "
        "WHERE l.lot_number = %s "
        "UNION ALL "
        "SELECT 'i', p.id, p.mrn, p.given_name, p.family_name, p.date_of_birth, cs.name, cs.phone, "
        "COALESCE(i.started_at, i.created_at), s.lot_id, 1, o.id, o.series_id, o.version, i.status, "
        "pr.vial_size_g, i.id, i.setting, i.location, i.volume_given_ml, "
        f"(SELECT SUM(pr2.vial_size_g) FROM {t['scan']} s2 JOIN {t['lot']} l2 ON l2.id = s2.lot_id "
        f"JOIN {t['product']} pr2 ON pr2.id = l2.product_id WHERE s2.session_id = s.session_id "
        "AND s2.accepted AND (s2.scanned_at < s.scanned_at "
        "OR (s2.scanned_at = s.scanned_at AND s2.id < s.id))) "
        f"FROM {t['scan']} s JOIN {t['lot']} l ON l.id = s.lot_id "
        f"JOIN {t['product']} pr ON pr.id = l.product_id JOIN {t['session']} i ON i.id = s.session_id "
        f"JOIN {t['order']} o ON o.id = i.order_id JOIN {t['patient']} p ON p.id = i.patient_id "
        f"LEFT JOIN {t['site']} cs ON cs.id = p.care_site_id "
        "WHERE l.lot_number = %s AND s.accepted"
    )


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _time_ms(call: Callable[[], Any]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def measure(queries: int, http: int, seed: int) -> dict[str, float]:
    from ivig.hemovigilance.lookback import find_lots, lookback_by_number
    from ivig.hemovigilance.receipts import read
    from ivig.inventory.models import Lot

    numbers = list(Lot.objects.values_list("lot_number", flat=True))
    picks = random.Random(seed)
    chosen = [picks.choice(numbers) for _ in range(queries)]
    register, sources = plain_sql(), source_sql()

    def plain(number: str) -> list[Any]:
        with connection.cursor() as cursor:
            cursor.execute(register, [number])
            return cursor.fetchall()

    def from_sources(number: str) -> list[Any]:
        with connection.cursor() as cursor:
            cursor.execute(sources, [number, number])
            return cursor.fetchall()

    def prepared(number: str) -> list[Any]:
        """The plain query as a prepared statement with binary rows, as the application runs its own."""
        import psycopg

        with psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(register, [number], prepare=True, binary=True)
            return cursor.fetchall()

    def query(number: str) -> int:
        """The application's query layer: the lots, their receipts checked against the sources, the sites."""
        return read([lot.pk for lot in find_lots(number)]).count

    for number in chosen[:20]:  # warm the caches and the connection; all must find the same recipients
        found = {patient.first.patient_id for patient in lookback_by_number(number).patients}
        if not found == {row[2] for row in plain(number)} == {row[1] for row in from_sources(number)}:
            raise SystemExit(f"lot {number}: the application, the register and the sources disagree")
        if query(number) != len(plain(number)):
            raise SystemExit(f"lot {number}: the query layer and the plain query disagree")
    timed: dict[str, list[float]] = {"query": [], "plain": [], "prepared": [], "whole": []}
    rows = []
    calls: dict[str, Callable[[str], Any]] = {
        "query": query,
        "plain": plain,
        "prepared": prepared,
        "whole": lambda number: rows.append(len(lookback_by_number(number).recipients)),
    }
    if connection.vendor != "postgresql":
        del calls["prepared"], timed["prepared"]
    order = list(calls)
    for turn, number in enumerate(chosen):
        # Interleaved, and each takes its turn at going first: the first to read a lot finds it cold.
        for name in order[turn % len(order) :] + order[: turn % len(order)]:
            timed[name].append(_time_ms(lambda name=name, number=number: calls[name](number)))
    # Apart: reading the sources pulls ten times the pages through the cache, which would slow the others.
    timed["sources"] = [_time_ms(lambda number=number: from_sources(number)) for number in chosen]
    timed["page"] = _pages(chosen[:http])
    figures = {"rows_mean": statistics.fmean(rows)}
    for name, values in timed.items():
        if values:
            figures[f"{name}_p50"], figures[f"{name}_p99"] = (
                _percentile(values, 0.5),
                _percentile(values, 0.99),
            )
    figures["page_p95"] = _percentile(timed["page"], 0.95)
    return figures


def _pages(numbers: list[str]) -> list[float]:
    """The lookback page over HTTP for each lot number, signed in as Quality: milliseconds each."""
    from ivig.accounts.models import User

    quality = User.objects.filter(username="bench-quality").first()
    if quality is None:
        from django.contrib.auth.models import Group

        from ivig.accounts.roles import sync_role_groups

        sync_role_groups()
        quality = User.objects.create_user(username="bench-quality", password=None)
        quality.groups.add(Group.objects.get(name="Quality"))
    client = Client()
    client.force_login(quality)
    page_ms = []
    for number in numbers:
        started = time.perf_counter()
        response = client.get("/hemovigilance/lookback/", {"lot": number})
        page_ms.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"lookback page answered {response.status_code}")
    return page_ms


def report(figures: dict[str, float], vendor: str, say: Callable[[str], None]) -> None:
    """Print the figures; the ratios are to the plain query on the same database."""

    def line(label: str, name: str, versus: str = "plain") -> None:
        p50, p99 = figures[f"{name}_p50"], figures[f"{name}_p99"]
        ratio = (
            f"  ratio to {versus} {p50 / figures[f'{versus}_p50']:.2f} / {p99 / figures[f'{versus}_p99']:.2f}"
        )
        say(f"  {label:<40}{p50:8.2f} / {p99:6.2f} ms" + ("" if name == versus else ratio))

    say(f"  {'recipients per lot (mean)':<40}{figures['rows_mean']:8.1f}")
    say(f"  {'':<40}     p50 /    p99")
    line("app query layer", "query")
    line("plain SQL", "plain")
    if "prepared_p50" in figures:  # the stricter yardstick: the plain query prepared, like the application's
        line("plain SQL prepared, binary rows", "prepared")
        line("app query layer (to prepared)", "query", "prepared")
    line("whole lookback (rows built, merged)", "whole")
    line("plain SQL on the sources (no register)", "sources")
    say(f"  {'lookback page over HTTP, p95':<40}{figures['page_p95']:8.2f} ms")
    if vendor == "postgresql":
        met = figures["query_p99"] <= 10 and figures["query_p99"] / figures["plain_p99"] <= 2
        say(f"  targets (query layer p99 <= 10 ms, ratio <= 2): {'met' if met else 'NOT met'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 100k patients, 4M vial dispensings")
    parser.add_argument("--queries", type=int, default=1000, help="lookbacks timed at the query layer")
    parser.add_argument("--http", type=int, default=200, help="lookback pages timed over HTTP")
    parser.add_argument("--seed", type=int, default=20260307)
    parser.add_argument("--sqlite-path", default=str(ROOT / "var" / "bench-lookback.sqlite3"))
    parser.add_argument("--pg-name", help="the PostgreSQL database to make (default <name>_lookback_bench)")
    parser.add_argument("--keep", action="store_true", help="keep the generated database")
    parser.add_argument("--reuse", action="store_true", help="measure on a database kept with --keep")
    args = parser.parse_args(argv)
    sizes = {key: max(int(full * args.scale), 4) for key, full in FULL.items()}
    sizes["vials"] = 2 * sizes["orders"]  # two lots (20 g and 5 g vials) per order
    database = settings.DATABASES["default"]
    vendor = "postgresql" if "postgresql" in database["ENGINE"] else "sqlite"
    database.setdefault("TEST", {})["NAME"] = (
        (args.pg_name or f"{database['NAME']}_lookback_bench") if vendor == "postgresql" else args.sqlite_path
    )
    setup_test_environment()  # DEBUG off (no query log), test client host allowed
    say = print
    name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False, keepdb=args.reuse
    )
    try:
        say(f"lookback bench on {vendor} ({name}), scale {args.scale}")
        if not args.reuse:
            started = time.perf_counter()
            generate(sizes, say)
            say(f"  generated in {time.perf_counter() - started:.1f} s")
        figures = measure(args.queries, args.http, args.seed)
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(name, verbosity=0)
    report(figures, vendor, say)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

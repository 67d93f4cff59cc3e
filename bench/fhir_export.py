"""Benchmark FHIR bulk export throughput (issue 10): resources per second, per type and overall.

Two data sets, each in a fresh database of its own (Django's test database for the configured one):

- the demo data (`manage.py load_demo`: one centre, 20 patients, stock, orders);
- the traceability benchmark's generated history (bench/lookback.py: 100,000 patients, 2 million dispensed
  orders, 4 million vial dispensings at --scale 1), with every order given a realistic verified IV plan so
  each MedicationRequest carries its rate steps.

The export is timed through the application's own code, the generators that stream each type's NDJSON
(`ivig.fhir.export.ndjson`) read as an Admin token's user; on the demo data also over HTTP (the streaming
view with a bearer token). --max-per-type stops each type after that many resources (throughput on a
large table without reading all of it).

Run:  .venv/bin/python bench/fhir_export.py --scale 0.01                       # SQLite, quick
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/ivig .venv/bin/python bench/fhir_export.py
Not part of the test suite (a small test runs it tiny, with --no-migrations).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import lookback
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import setup_test_environment

ROOT = lookback.ROOT


def _admin() -> Any:
    from django.contrib.auth.models import Group

    from ivig.accounts.models import User
    from ivig.accounts.roles import sync_role_groups

    user = User.objects.filter(username="bench-fhir-admin").first()
    if user is None:
        sync_role_groups()
        user = User.objects.create_user(username="bench-fhir-admin", password=None)
        user.groups.add(Group.objects.get(name="Admin"))
    return User.objects.get(pk=user.pk)  # fresh: no permission cache from before the group


def row(label: str, count: int, seconds: float, size: str = "") -> str:
    rate = count / seconds if seconds else 0.0
    return f"  {label:<26} {count:>10,} resources {size:>12} {seconds:8.2f} s {rate:>10,.0f} /s"


def export_all(user: Any, max_per_type: int | None, say: Callable[[str], None]) -> tuple[int, float]:
    """Stream every type's NDJSON as the API does; return (resources, seconds) over all types."""
    from ivig.fhir import export, registry

    total_resources, total_seconds = 0, 0.0
    for resource_type in registry.resource_types():
        count, size = 0, 0
        started = time.perf_counter()
        for chunk in export.ndjson(resource_type, user):
            count += chunk.count(b"\n")
            size += len(chunk)
            if max_per_type is not None and count >= max_per_type:
                break
        seconds = time.perf_counter() - started
        total_resources += count
        total_seconds += seconds
        say(row(resource_type, count, seconds, f"{size / 1e6:9.1f} MB"))
    return total_resources, total_seconds


def export_over_http(user: Any) -> tuple[int, float]:
    """The same export through the API: manifest, then each NDJSON URL, with a bearer token."""
    from ivig.fhir.tokens import create_token

    _token, secret = create_token(by=user, user=user, name="bench")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    client.get("/fhir/metadata")  # the first request loads the URLconf and builds the API: not export time
    started = time.perf_counter()
    manifest = client.get("/fhir/$export").json()
    count = 0
    for item in manifest["output"]:
        response = client.get(item["url"].removeprefix("http://testserver"))
        if response.status_code != 200:
            raise SystemExit(f"{item['url']} answered {response.status_code}")
        for chunk in response.streaming_content:
            count += chunk.count(b"\n")
    return count, time.perf_counter() - started


def add_plans(say: Callable[[str], None]) -> None:
    """Give every generated order a verified plan (one the clinical core makes for a 45 kg PI patient)."""
    from ivig.clinical import PatientFactors, PlanRequest, Route, Sex, plan_infusion
    from ivig.orders.models import TherapyOrder

    plan = plan_infusion(
        PlanRequest(
            product="privigen",
            indication="pi",
            patient=PatientFactors(age_years=40, sex=Sex.FEMALE, weight_kg=45),
            route=Route.IV,
            dose_g_per_kg=0.4,
        )
    ).to_dict()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TherapyOrder._meta.db_table} SET verified_plan = %s", [json.dumps(plan)])
    steps = sum(len(day["steps"]) for day in plan["days"])
    say(f"  verified plans ({steps} rate steps) {time.perf_counter() - started:7.1f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 100k patients, 2M orders")
    parser.add_argument("--max-per-type", type=int, default=None, help="stop each type after this many")
    parser.add_argument("--sqlite-path", default=str(ROOT / "var" / "bench-fhir-export.sqlite3"))
    parser.add_argument("--skip-demo", action="store_true")
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument(
        "--no-migrations",
        action="store_true",
        help="make each database's tables straight from the models (Django's TEST MIGRATE False): the same "
        "schema in a second instead of running every migration; for quick runs such as the smoke test",
    )
    args = parser.parse_args(argv)
    sizes = {key: max(int(full * args.scale), 4) for key, full in lookback.FULL.items()}
    sizes["vials"] = 2 * sizes["orders"]
    database = settings.DATABASES["default"]
    vendor = "postgresql" if "postgresql" in database["ENGINE"] else "sqlite"
    test_settings = database.setdefault("TEST", {})
    if args.no_migrations:
        test_settings["MIGRATE"] = False
    original_name = database["NAME"]
    setup_test_environment()
    say = print
    from ivig.fhir import export

    say(f"FHIR bulk export bench on {vendor}; JSON encoder: {export.ENCODER}")
    for label, skip in (("demo", args.skip_demo), ("large", args.skip_large)):
        if skip:
            continue
        test_settings["NAME"] = (
            f"{original_name}_fhir_bench_{label}"
            if vendor == "postgresql"
            else args.sqlite_path.replace(".sqlite3", f"-{label}.sqlite3")
        )
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            if label == "demo":
                from django.core.management import call_command

                call_command("load_demo", verbosity=0)
                say("demo data (manage.py load_demo):")
            else:
                say(f"generated data, scale {args.scale} ({sizes['patients']:,} patients):")
                lookback.generate(sizes, say)
                add_plans(say)
            user = _admin()
            resources, seconds = export_all(user, args.max_per_type, say)
            say(row("all types", resources, seconds))
            if label == "demo":
                count, http_seconds = export_over_http(user)
                say(row("over HTTP (all types)", count, http_seconds))
        finally:
            connection.creation.destroy_test_db(original_name, verbosity=0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

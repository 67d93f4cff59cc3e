"""Benchmark FHIR bulk export (issues 10 and 18): resources per second through the background worker, and
the status URL's latency while and after it runs.

Two data sets, each in a fresh database of its own (Django's test database for the configured one):

- the demo data (`manage.py load_demo`: one centre, 20 patients, stock, orders);
- the traceability benchmark's generated history (bench/lookback.py: 100,000 patients, 2 million dispensed
  orders, 4 million vial dispensings at --scale 1), with every order given a realistic verified IV plan so
  each MedicationRequest carries its rate steps.

On each: a system-level Bulk Data export as a client makes it (kick-off over HTTP with an Admin's bearer
token, Django's test client), run by the real worker (`manage.py db_worker --batch` in a process of its own,
on the same database), while this process polls the status URL (every POLL_SECONDS while the worker runs,
then until --polls polls in all): resources per second of the worker's export (its started-to-finished
time, and the wall time from kick-off to the complete manifest), and the polls' p50 and p95. Unless
--skip-direct, first each type's NDJSON generator on its own (`ivig.fhir.export.ndjson`, per type and
overall; --max-per-type stops each type early).

Targets (issue 18): >= 3,000 resources/s; status polling p95 <= 50 ms.

Run:  .venv/bin/python bench/fhir_export.py --scale 0.01                       # SQLite, quick
      .venv/bin/python bench/fhir_export.py --scale 1 --skip-demo --skip-direct  # the 100,000 patients
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/ivig .venv/bin/python bench/fhir_export.py
Not part of the test suite (a small test runs it tiny, with --no-migrations).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
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


POLL_SECONDS = 0.5  # while the worker runs (its Retry-After says 5 s); then --polls back to back


def _database_url(name: str) -> str:
    """The bench database as DATABASE_URL, for the worker's process."""
    database = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(name).resolve()}"
    user = database.get("USER") or ""
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    host = database.get("HOST") or "127.0.0.1"
    port = database.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(fraction * len(ordered)), len(ordered) - 1)]


def export_through_worker(user: Any, polls: int, say: Callable[[str], None]) -> tuple[int, float]:
    """A system export as a Bulk Data client makes it, run by `manage.py db_worker` in its own process."""
    from ivig.fhir.models import ExportJob
    from ivig.fhir.tokens import create_token

    _token, secret = create_token(by=user, user=user, name="bench")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    client.get("/fhir/metadata")  # the first request loads the URLconf and builds the API: not export time
    started = time.perf_counter()
    kicked = client.get("/fhir/$export", HTTP_ACCEPT="application/fhir+json", HTTP_PREFER="respond-async")
    if kicked.status_code != 202:
        raise SystemExit(f"kick-off answered {kicked.status_code}: {kicked.content[:300]!r}")
    status_url = kicked["Content-Location"].removeprefix("http://testserver")
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(connection.settings_dict["NAME"]),
        "IVIG_BULK_EXPORT_DIR": str(settings.IVIG_BULK_EXPORT_DIR),
        "PYTHONPATH": str(ROOT / "src"),
    }
    command = ["db_worker", "--batch", "--no-reload", "--no-startup-delay", "--verbosity", "0"]
    worker = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), *command],
        env=env,
        cwd=ROOT,
    )

    def timed_poll(latencies: list[float]) -> Any:
        before = time.perf_counter()
        response = client.get(status_url, HTTP_ACCEPT="application/json")
        latencies.append((time.perf_counter() - before) * 1000)
        if response.status_code not in (200, 202):
            worker.kill()
            raise SystemExit(f"status answered {response.status_code}: {response.content[:300]!r}")
        return response

    running: list[float] = []  # 202 with X-Progress, while the worker runs
    while (response := timed_poll(running)).status_code == 202:
        if worker.poll() is not None and worker.returncode != 0:
            raise SystemExit(f"the worker exited with {worker.returncode}")
        time.sleep(POLL_SECONDS)
    wall = time.perf_counter() - started
    manifest = json.loads(response.content)
    complete: list[float] = []  # 200 with the manifest
    for _ in range(polls):
        timed_poll(complete)
    if worker.wait(timeout=600) != 0:
        raise SystemExit(f"the worker exited with {worker.returncode}")
    job = ExportJob.objects.get(pk=status_url.rsplit("/", 1)[1])
    assert job.started_at is not None and job.finished_at is not None
    count = sum(item["count"] for item in manifest["output"])
    seconds = (job.finished_at - job.started_at).total_seconds()
    say(row("through the worker", count, seconds, f"{len(manifest['output'])} files"))
    say(row("kick-off to manifest", count, wall))
    everything = running + complete
    say(
        f"  status polling: {len(everything)} polls, p50 {statistics.median(everything):.1f} ms, "
        f"p95 {_percentile(everything, 0.95):.1f} ms (while running: {len(running)} polls, "
        f"p95 {_percentile(running, 0.95):.1f} ms; complete: p95 {_percentile(complete, 0.95):.1f} ms)"
    )
    return count, seconds


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
    parser.add_argument("--skip-direct", action="store_true", help="only the export through the worker")
    parser.add_argument("--polls", type=int, default=200, help="status polls of the complete export")
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
            if not args.skip_direct:
                resources, seconds = export_all(user, args.max_per_type, say)
                say(row("all types", resources, seconds))
            with tempfile.TemporaryDirectory(prefix="bench-bulk-") as files:
                settings.IVIG_BULK_EXPORT_DIR = Path(files)
                export_through_worker(user, args.polls, say)
        finally:
            connection.close()
            connection.creation.destroy_test_db(original_name, verbosity=0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

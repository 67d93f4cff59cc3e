"""Load benchmark (issue 22): the application under gunicorn, on PostgreSQL, driven by locust.

Builds a PostgreSQL database of its own (`ivig_load` unless --db) with the 100,000-patient history of
bench/lookback.py (its own builder, `lookback.generate`), adds the day's live work through the application's
actions (two infusions at their checklist and two 72-hour follow-ups per simulated user, users of each role
with a password, a FHIR API token), starts gunicorn with 4 workers on 127.0.0.1, and runs locust headless in
a process of its own (gevent patches at import, so it is never imported here) with bench/locustfile.py: 50
users for 5 minutes, each signing in once through the real login form, then a mix of flowsheet saves, patient
searches, order pages and worklists, diary posts, lot lookbacks and FHIR searches. Then the lookback page on
its own: one user for 30 seconds.

It prints requests/s, p50/p95/p99 per page and the errors, CPU per request (gunicorn, PostgreSQL, locust),
and the targets with pass/fail: >= 100 requests/s, p95 <= 250 ms on every page, zero errors, lookback page
p95 <= 50 ms (within the mix, and on its own).

Run:  make bench-load                                     # 100k patients, 50 users, 5 minutes
      .venv/bin/python bench/load.py --scale 0.05 --users 20 --minutes 1   # quick
      .venv/bin/python bench/load.py --reuse             # again on the database kept from the last run

--reuse keeps the history and makes a new day of work for the run (about a minute), so no run inherits
infusions and diaries filled by the one before. Only 127.0.0.1 is load-tested (--host anything else is
refused). The database is kept for --reuse; --drop removes it at the end.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LOCAL = "127.0.0.1"
TARGET_RPS = 100.0
TARGET_P95_MS = 250.0
TARGET_LOOKBACK_P95_MS = 50.0
LOOKBACK_PAGE = "lookback page"
LOOKBACK_ALONE = "lookback page alone"
# The mix's user classes in bench/locustfile.py; LookbackAlone runs on its own afterwards.
MIX = ["Nurse", "Pharmacist", "Quality", "FhirClient"]
ALONE_SECONDS = 30
SIGN_IN = "login"
# Infusions (and follow-ups) made for each simulated user: a day of 100 infusions for 50 users, a busy
# centre's day. Nurses move on after an infusion's usual readings (bench/locustfile.py), so at the target
# rate each infusion gets a few dozen in a 5-minute run, not hundreds.
INFUSIONS_PER_USER = 2


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 100k patients (bench/lookback.py)")
    parser.add_argument("--users", type=int, default=50, help="concurrent simulated users")
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started per second")
    parser.add_argument("--minutes", type=float, default=5, help="how long the load runs")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--host", default=LOCAL, help="only 127.0.0.1 is allowed")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--db", default="ivig_load", help="the PostgreSQL database made for the run")
    parser.add_argument("--db-server", default="postgres://postgres@127.0.0.1:5432", help="no database name")
    parser.add_argument("--reuse", action="store_true", help="run again on the database kept earlier")
    parser.add_argument("--build-only", action="store_true", help="build the database and stop")
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    parser.add_argument(
        "--out", default=str(ROOT / "var" / "bench-load"), help="locust CSVs and the run data"
    )
    args = parser.parse_args(argv)
    if args.host != LOCAL:
        parser.error(f"the load runs only against {LOCAL}, not {args.host!r}")
    if args.db in {"test", "postgres", "template0", "template1"} or not args.db.replace("_", "").isalnum():
        parser.error(f"refusing to build the load data set in database {args.db!r}")
    return args


def prepare(args: argparse.Namespace, say: Any) -> dict[str, Any]:
    """Make (or reuse) the database: the lookback history, then the day's work. Returns the run data."""
    os.environ["DATABASE_URL"] = f"{args.db_server}/{args.db}"
    sys.path.insert(0, str(ROOT / "bench"))
    import lookback
    from django.conf import settings
    from django.db import connection

    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = args.db
    data_file = Path(args.out) / f"{args.db}.json"
    if args.reuse:
        if not data_file.exists():
            raise SystemExit(f"--reuse: no {data_file}; run once without --reuse first")
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=True)
        kept = json.loads(data_file.read_text())
        run = kept.get("run", 0) + 1
        say(f"reusing {args.db}: a new day of work (run {run})")
        data = {"sizes": kept["sizes"], "run": run, **_day_of_work(args.users, run)}
    else:
        sizes = {key: max(int(full * args.scale), 4) for key, full in lookback.FULL.items()}
        sizes["vials"] = 2 * sizes["orders"]
        started = time.perf_counter()
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=False)
        say(f"building {args.db}: scale {args.scale}, {sizes['patients']:,} patients")
        lookback.generate(sizes, say)
        data = {"sizes": sizes, "run": 0, **_day_of_work(args.users, 0)}
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        say(f"  built in {time.perf_counter() - started:.0f} s")
    data_file.parent.mkdir(parents=True, exist_ok=True)
    data_file.write_text(json.dumps(data))
    return data


def _day_of_work(users: int, run: int) -> dict[str, Any]:
    """Users with a new password, and the day's infusions at their checklist and 72-hour follow-ups whose
    diaries take entries (INFUSIONS_PER_USER for each simulated user), all made through the application's
    actions. Each run makes its own: a nurse records an infusion's usual number of readings and moves on
    (bench/locustfile.py), so a run neither inherits nor builds up sessions with hundreds of readings."""
    from django.contrib.auth.models import Group

    from ivig import clock
    from ivig.accounts.models import User
    from ivig.accounts.roles import sync_role_groups
    from ivig.demo.orders import acknowledged_codes, give_caution_reasons
    from ivig.fhir import tokens
    from ivig.followup.actions import start_follow_up
    from ivig.infusions.actions import start_session
    from ivig.inventory.actions import receive_stock
    from ivig.inventory.models import StockProduct
    from ivig.orders import actions as orders
    from ivig.orders.pharmacy import dispense_order, verify_order
    from ivig.patients.actions import create_patient

    sync_role_groups()
    password = secrets.token_urlsafe(18)
    staff = {}
    for role in ("Nurse", "Pharmacist", "Prescriber", "Quality"):
        user, _made = User.objects.get_or_create(username=f"load-{role.lower()}")
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=role))
        staff[role] = user
    prescriber, pharmacist, nurse = staff["Prescriber"], staff["Pharmacist"], staff["Nurse"]
    today = clock.localdate()
    products = {size: StockProduct.objects.get(catalog_slug="privigen", vial_size_g=size) for size in (20, 5)}
    sessions, follow_ups, orders_made = [], [], []
    for n in range(users * INFUSIONS_PER_USER):
        patient = create_patient(
            by=prescriber,
            mrn=f"LOAD{run:03d}{n:05d}",
            given_name="Mia",
            family_name=f"Load{n}",
            date_of_birth=date(today.year - 8, 1, 15),
            sex_at_birth="female",
            weight_kg=Decimal("25"),
        )
        fields = {
            "regimen": "itp",
            "route": "iv",
            "product_slug": "privigen",
            "dose_g_per_kg": Decimal("1"),
            "days": 2,
            "weight_kg": Decimal("25"),
            "height_cm": None,
            "labs": {"platelets": {"value": "12", "taken_on": today.isoformat()}},
            "screening": {"first_infusion": True},
            "justification": "Newly diagnosed ITP with bleeding",
        }
        order = orders.save_draft(by=prescriber, patient=patient, fields=fields)
        order = orders.sign_order(by=prescriber, order=give_caution_reasons(prescriber, order, today))
        order = verify_order(
            by=pharmacist,
            order=order,
            weight_kg=Decimal("25"),
            dose_confirmed=True,
            acknowledged=acknowledged_codes(order),
        )
        picks = []
        for size, product in products.items():
            lot = receive_stock(
                by=pharmacist,
                product=product,
                lot_number=f"LOAD{size}-{run:03d}-{n:05d}",
                expiry_date=today + timedelta(days=400),
                quantity_vials=2,
            ).lot
            picks.append((lot, 2))
        order = dispense_order(by=pharmacist, order=order, picks=picks)
        sessions.append(start_session(by=nurse, order=order, setting="centre").pk)
        follow_ups.append(
            start_follow_up(by=nurse, order=order, ended_at=clock.now() - timedelta(hours=2)).pk
        )
        orders_made.append(order.pk)
    _token, secret = tokens.create_token(by=None, user=prescriber, name=f"load bench run {run}")
    return {
        "password": password,
        "users": {role: user.username for role, user in staff.items()},
        "sessions": sessions,
        "follow_ups": follow_ups,
        "orders": orders_made,
        "token": secret,
    }


def serve(args: argparse.Namespace, log: Path) -> subprocess.Popen[bytes]:
    """gunicorn with the development settings (plain HTTP cookies), debug off, on 127.0.0.1 only."""
    env = os.environ | {
        "DATABASE_URL": f"{args.db_server}/{args.db}",
        "IVIG_ENV": "development",
        "DEBUG": "false",
        "ALLOWED_HOSTS": LOCAL,
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT / "src"),
    }
    command = [sys.executable, "-m", "gunicorn", "ivig.config.wsgi", "-w", str(args.workers)]
    command += ["-b", f"{LOCAL}:{args.port}", "--access-logfile", "-", "--log-level", "warning"]
    with log.open("wb") as output:
        server = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT, cwd=ROOT)
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"http://{LOCAL}:{args.port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
        if server.poll() is not None:
            break
    server.terminate()
    raise SystemExit(f"gunicorn did not start: see {log}")


def drive(
    args: argparse.Namespace,
    data_file: Path,
    prefix: Path,
    users: list[str] = MIX,
    count: int | None = None,
    seconds: int | None = None,
) -> float:
    """locust, headless and bounded, in its own process, with these user classes of bench/locustfile.py.
    Returns the CPU seconds locust used."""
    command = [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless"]
    command += [
        "-u",
        str(count or args.users),
        "-r",
        str(args.spawn_rate),
        "-t",
        f"{seconds or max(int(args.minutes * 60), 10)}s",
    ]
    command += ["--host", f"http://{LOCAL}:{args.port}", "--only-summary", "--csv", str(prefix)]
    command += ["--stop-timeout", "10", "--exit-code-on-error", "0", *users]
    env = os.environ | {"LOAD_DATA": str(data_file)}
    started = os.times()
    subprocess.run(command, env=env, check=True, cwd=ROOT)
    ended = os.times()
    return (ended.children_user - started.children_user) + (ended.children_system - started.children_system)


def _cpu(pid: int, database: str) -> dict[str, float]:
    """CPU seconds used so far by gunicorn (master and workers) and the database's PostgreSQL backends."""
    import psutil  # locust's dependency, in the dev environment

    def used(processes: list[Any]) -> float:
        total = 0.0
        for process in processes:
            try:
                times = process.cpu_times()
            except psutil.Error:
                continue
            total += times.user + times.system
        return total

    server = psutil.Process(pid)
    backends = [
        p
        for p in psutil.process_iter(["name", "cmdline"])
        if p.info["name"] == "postgres" and f" {database} " in " ".join(p.info["cmdline"] or [])
    ]
    return {"gunicorn": used([server, *server.children(recursive=True)]), "postgres": used(backends)}


def _say_cpu(before: dict[str, float], after: dict[str, float], prefix: Path, say: Any) -> None:
    """CPU per request by process: the server's (gunicorn and PostgreSQL) measures the application; with
    locust's, what the 2 cores can carry (the machine may be shared: requests/s alone measure it)."""
    with Path(f"{prefix}_stats.csv").open() as stats:
        total = next(row for row in csv.DictReader(stats) if row["Name"] == "Aggregated")
    requests = int(total["Request Count"])
    if not requests:
        return
    per = {name: (after.get(name, 0.0) - before.get(name, 0.0)) / requests * 1000 for name in after}
    server = per["gunicorn"] + per["postgres"]
    cores = os.cpu_count() or 1
    say(
        f"CPU per request: gunicorn {per['gunicorn']:.1f} ms, PostgreSQL {per['postgres']:.1f} ms, "
        f"locust {per.get('locust', 0.0):.1f} ms"
    )
    everything = server + per.get("locust", 0.0)
    say(
        f"  with {cores} cores that carries at most {cores * 1000 / everything:.0f} requests/s "
        f"({cores * 1000 / server:.0f} with the cores free of locust)"
    )


def _p95_alone(prefix: Path) -> float | None:
    """The lookback page's p95 in the short run of its own (one user), if it ran."""
    stats = Path(f"{prefix}_stats.csv")
    if not stats.exists():
        return None
    with stats.open() as read:
        found = [float(row["95%"]) for row in csv.DictReader(read) if row["Name"] == LOOKBACK_ALONE]
    return found[0] if found else None


def report(prefix: Path, say: Any, alone: Path | None = None) -> bool:
    """Per page requests/s, p50/p95/p99 and errors from locust's CSV, and the targets. The lookback target
    is checked twice: within the mix, and on its own (`alone`: the issue's 184 ms was the page on its own)."""
    with Path(f"{prefix}_stats.csv").open() as stats:
        rows = list(csv.DictReader(stats))
    pages = [row for row in rows if row["Name"] != "Aggregated"]
    total = next(row for row in rows if row["Name"] == "Aggregated")
    say(f"\n{'page':<28}{'requests':>9}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}{'errors':>8}   (ms)")
    for row in [*sorted(pages, key=lambda r: r["Name"]), total]:
        say(
            f"{row['Name']:<28}{row['Request Count']:>9}{float(row['Requests/s']):>8.1f}"
            f"{row['50%']:>7}{row['95%']:>7}{row['99%']:>7}{row['Failure Count']:>8}"
        )
    exceptions_file = Path(f"{prefix}_exceptions.csv")
    with exceptions_file.open() as raised:
        exceptions = sum(int(row["Count"]) for row in csv.DictReader(raised))
    if exceptions:
        say(f"exceptions in the simulated users (counted as errors; see {exceptions_file}): {exceptions}")
    rps, errors = float(total["Requests/s"]), int(total["Failure Count"]) + exceptions
    # The sign-in post hashes the password (PBKDF2, slow on purpose) once per user: shown, not a page target.
    slow = [row["Name"] for row in pages if row["Name"] != SIGN_IN and float(row["95%"]) > TARGET_P95_MS]
    lookback = [float(row["95%"]) for row in pages if row["Name"] == LOOKBACK_PAGE]
    lookback_p95 = f"{lookback[0]:.0f} ms" if lookback else "not run"
    alone_p95 = _p95_alone(alone) if alone is not None else None
    alone_text = f"{alone_p95:.0f} ms" if alone_p95 is not None else "not run"
    checks = [
        (f"throughput >= {TARGET_RPS:.0f} requests/s ({rps:.1f})", rps >= TARGET_RPS),
        (
            f"p95 <= {TARGET_P95_MS:.0f} ms on every page" + (f" (over: {', '.join(slow)})" if slow else ""),
            not slow,
        ),
        (f"zero errors ({errors})", errors == 0),
        (
            f"lookback page p95 <= {TARGET_LOOKBACK_P95_MS:.0f} ms within the mix ({lookback_p95})",
            bool(lookback) and lookback[0] <= TARGET_LOOKBACK_P95_MS,
        ),
        (
            f"lookback page p95 <= {TARGET_LOOKBACK_P95_MS:.0f} ms on its own, 1 user for {ALONE_SECONDS} s "
            f"({alone_text})",
            alone_p95 is not None and alone_p95 <= TARGET_LOOKBACK_P95_MS,
        ),
    ]
    say("\ntargets:")
    for label, met in checks:
        say(f"  {'PASS' if met else 'FAIL'}  {label}")
    return all(met for _label, met in checks)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    say = print
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    data = prepare(args, say)
    if args.build_only:
        return 0
    data_file = out / f"{args.db}.json"
    prefix, alone = out / "locust", out / "locust-lookback-alone"
    server = serve(args, out / "gunicorn.log")
    try:
        say(f"load: {args.users} users for {args.minutes:g} min on {data['sizes']['patients']:,} patients")
        before = _cpu(server.pid, args.db)
        locust = drive(args, data_file, prefix)
        after = _cpu(server.pid, args.db)
        after["locust"] = locust
        _say_cpu(before, after, prefix, say)
        say(f"lookback page on its own: 1 user for {ALONE_SECONDS} s")
        drive(args, data_file, alone, users=["LookbackAlone"], count=1, seconds=ALONE_SECONDS)
    finally:
        server.terminate()
        server.wait(timeout=30)
        if args.drop:
            from django.db import connection

            connection.creation.destroy_test_db(args.db, verbosity=0)
    return 0 if report(prefix, say, alone) else 1


if __name__ == "__main__":
    raise SystemExit(main())

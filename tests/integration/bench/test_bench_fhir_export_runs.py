"""The FHIR export benchmark (bench/fhir_export.py) runs end to end at a tiny scale and prints its figures:
each type's NDJSON on its own, then a system-level Bulk Data export through the real worker (its own
process) with the status URL polled.

--no-migrations makes the bench's two databases from the models (a second each instead of running every
migration twice); the export it times is the same code on the same schema."""

from __future__ import annotations

import re

from tests.drivers.bench import run_bench


def test_it_runs_the_fhir_export_bench_at_a_tiny_scale(tmp_path):
    database = tmp_path / "bench.sqlite3"

    result = run_bench(
        "fhir_export.py", "--scale", "0.0005", "--sqlite-path", str(database), "--no-migrations"
    )

    assert "demo data" in result.stdout and "generated data" in result.stdout
    rates = re.findall(r"all types\s+([0-9,]+) resources.*?([0-9,]+) /s", result.stdout)
    assert len(rates) == 2, result.stdout
    demo, large = (int(count.replace(",", "")) for count, _rate in rates)
    # patients, orders, vial dispensings, lots, infusions (99 % of orders: MedicationAdministration), and a
    # Group per care site (3)
    assert demo > 20 and large == 50 + 1_000 + 2_000 + 5 + 990 + 3
    worker = re.findall(r"through the worker\s+([0-9,]+) resources.*?([0-9,]+) /s", result.stdout)
    # The worker's export also holds the audit row of its own kick-off (served as AuditEvent), made after the
    # direct export was counted.
    assert [int(count.replace(",", "")) for count, _rate in worker] == [demo + 1, large + 1]
    polls = re.findall(r"status polling: (\d+) polls, p50 [0-9.]+ ms, p95 ([0-9.]+) ms", result.stdout)
    assert len(polls) == 2 and all(int(count) >= 200 for count, _p95 in polls), result.stdout
    assert not list(tmp_path.iterdir()), "the bench drops its databases"

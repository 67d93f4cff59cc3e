"""The worker's side of a bulk export: read a consistent snapshot, write NDJSON files, report progress.

Consistency with the manifest's transactionTime: the export reads in one read transaction (REPEATABLE READ,
read only, on PostgreSQL; a deferred read transaction on SQLite, whose WAL snapshot writers do not disturb),
fixes transactionTime once that snapshot is taken, and reads only rows whose last change is at or before it.
A row written after transactionTime is never in the files, whatever commits while the export runs.

The read transaction cannot report progress or see a cancel (its snapshot hides both), so a monitor thread
with a database connection of its own writes the progress the reader publishes and tells it when the job
has been cancelled.
"""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from django.db import DatabaseError, connection, transaction
from django.http import QueryDict

from ivig import clock
from ivig.fhir import export, query
from ivig.fhir.addresses import API_PATH, serving
from ivig.fhir.bulk import Level, Status, expiry, job_dir
from ivig.fhir.bundles import operation_outcome
from ivig.fhir.models import ExportJob
from ivig.fhir.scope import with_access
from ivig.lib.addresses import public_url
from ivig.smart.scopes import SmartAccess

logger = logging.getLogger(__name__)
FILE_LINES = 100_000  # resources per file: a large type is split (Patient-1.ndjson, Patient-2.ndjson, ...)
PROGRESS_SECONDS = 1.0  # how often the monitor writes progress and looks for a cancel


class Cancelled(Exception):
    """The job was cancelled (DELETE on its status URL) while it ran."""


@dataclass
class Progress:
    """What the reader has done, published to the monitor thread (plain attributes: one writer)."""

    total: int | None = None
    done: int = 0
    resource_type: str = ""
    type_number: int = 0
    types: int = 0
    cancelled: bool = False
    changed: threading.Event = field(default_factory=threading.Event)

    def text(self) -> str:
        if self.total is None:
            return "Counting the resources to export"
        percent = self.done * 100 // self.total if self.total else 100
        return (
            f"Exporting {self.resource_type} (type {self.type_number} of {self.types}): "
            f"{percent}% of {self.total:,} resources"
        )[:99]


class Monitor(threading.Thread):
    """Writes the reader's progress to the job row and watches for a cancel, on its own connection."""

    def __init__(self, job_id: Any, progress: Progress) -> None:
        super().__init__(name=f"bulk-export-{job_id}", daemon=True)
        self.job_id = job_id
        self.progress = progress
        self.stopping = threading.Event()

    def run(self) -> None:
        written = ""
        try:
            while not self.stopping.is_set():
                self.progress.changed.wait(PROGRESS_SECONDS)
                self.progress.changed.clear()
                try:
                    text = self.progress.text()
                    if text != written:
                        jobs = ExportJob.objects.filter(pk=self.job_id, status=Status.RUNNING)
                        jobs.update(progress=text)
                        written = text
                    status = ExportJob.objects.filter(pk=self.job_id).values_list("status", flat=True).first()
                    if status != Status.RUNNING:
                        self.progress.cancelled = True
                except DatabaseError:  # a busy database: try again on the next round
                    logger.warning("Bulk export %s: could not write progress", self.job_id, exc_info=True)
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.progress.changed.set()
        self.join()


class Files:
    """NDJSON files of one type after another, FILE_LINES resources at most per file."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.entries: list[dict[str, Any]] = []
        self.handle: IO[bytes] | None = None
        self.numbers: dict[str, int] = {}

    def write(self, resource_type: str, line: bytes) -> None:
        entry = self.entries[-1] if self.handle is not None else None
        if entry is None or entry["type"] != resource_type or entry["count"] >= FILE_LINES:
            entry = self._open(resource_type)
        assert self.handle is not None
        self.handle.write(line)
        entry["count"] += 1

    def _open(self, resource_type: str) -> dict[str, Any]:
        self.close()
        number = self.numbers[resource_type] = self.numbers.get(resource_type, 0) + 1
        name = f"{resource_type}-{number}.ndjson"
        self.directory.mkdir(parents=True, exist_ok=True)
        self.handle = (self.directory / name).open("wb", buffering=1024 * 1024)
        entry = {"type": resource_type, "file": name, "count": 0}
        self.entries.append(entry)
        return entry

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None


@contextmanager
def read_snapshot() -> Iterator[None]:
    """One read transaction whose snapshot every query in it sees (see the module's docstring)."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        mode = connection.transaction_mode  # type: ignore[attr-defined]
        # BEGIN IMMEDIATE (the project's SQLite setting) would hold the write lock for the whole export.
        connection.transaction_mode = "DEFERRED"  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                yield
        finally:
            connection.transaction_mode = mode  # type: ignore[attr-defined]
        return
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def claim(job_id: str) -> ExportJob | None:
    """Mark a waiting job running; None when it is no longer waiting (cancelled before the worker came)."""
    started = clock.now()
    if not ExportJob.objects.filter(pk=job_id, status=Status.ACCEPTED).update(
        status=Status.RUNNING, started_at=started, progress="Starting"
    ):
        return None
    return ExportJob.objects.select_related("user").get(pk=job_id)


def kickoff_base(request_url: str) -> str:
    """The API's base URL ("https://host/fhir/") from the kick-off request's absolute URL."""
    head, found, _rest = request_url.partition(API_PATH)
    return f"{head}{API_PATH}" if found else f"{public_url()}{API_PATH}"


def run(job_id: str) -> str:
    """Run one export job to the end (the background task's body); returns its final status."""
    job = claim(job_id)
    if job is None:
        return "not waiting"
    directory = job_dir(job.pk)
    progress = Progress()
    monitor = Monitor(job.pk, progress)
    monitor.start()
    try:
        # The resources' canonical URLs under the address the export was asked at, as a read would give.
        with serving(kickoff_base(job.request_url)):
            transaction_time, output, errors = write_files(job, directory, progress)
    except Exception as error:
        monitor.stop()
        shutil.rmtree(directory, ignore_errors=True)
        if isinstance(error, Cancelled) or progress.cancelled:
            return "cancelled"
        logger.exception("Bulk export %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk, status=Status.RUNNING).update(
            status=Status.FAILED, finished_at=clock.now(), failure=f"{type(error).__name__}: {error}"[:2000]
        )
        raise
    monitor.stop()
    finished = clock.now()
    done = ExportJob.objects.filter(pk=job.pk, status=Status.RUNNING).update(
        status=Status.COMPLETE,
        transaction_time=transaction_time,
        finished_at=finished,
        expires_at=expiry(finished),
        output=output,
        errors=errors,
        progress="Complete",
    )
    if not done:  # cancelled between the last row and now
        shutil.rmtree(directory, ignore_errors=True)
        return "cancelled"
    from ivig.fhir.tasks import purge_exports

    # The files' own clean-up, when they expire (the poll and the next kick-off also purge).
    purge_exports.using(run_after=expiry(finished)).enqueue()
    return "complete"


def write_files(
    job: ExportJob, directory: Path, progress: Progress
) -> tuple[datetime, list[dict[str, Any]], list[dict[str, Any]]]:
    """Write the job's files from one snapshot; returns (transactionTime, output entries, error entries)."""
    files = Files(directory)
    try:
        with read_snapshot():
            ExportJob.objects.filter(pk=job.pk).exists()  # the first read fixes the snapshot ...
            transaction_time = clock.now()  # ... so everything it shows was written before this instant
            scope = _scope(job, transaction_time)
            plan = [(name, export.querysets(name, scope)) for name in job.types]
            progress.types = len(plan)
            progress.total = sum(rows.count() for _name, found in plan for _source, rows in found)
            for number, (resource_type, found) in enumerate(plan, start=1):
                progress.resource_type, progress.type_number = resource_type, number
                progress.changed.set()
                export_type(files, resource_type, found, progress)
            errors = _notes(job, files.directory)
    finally:
        files.close()
    return transaction_time, files.entries, errors


def export_type(files: Files, resource_type: str, found: list[tuple[Any, Any]], progress: Progress) -> None:
    """Write one type's resources (a test can wrap this to act while the export runs)."""
    for source, rows in found:
        for line in export.lines(source, rows):
            if progress.cancelled:
                raise Cancelled
            files.write(resource_type, line)
            progress.done += 1


def _scope(job: ExportJob, transaction_time: datetime) -> export.Scope:
    from ivig.fhir.resources.group import members

    searches = {
        resource_type: [query.parse(QueryDict(text), resource_type) for text in texts]
        for resource_type, texts in job.type_filters.items()
    }
    user = job.user
    if job.smart_access is not None:  # exported through a SMART token: within its scopes, as the request was
        with_access(user, SmartAccess.from_dict(job.smart_access))
    return export.Scope(
        user=user,
        compartment=job.level != Level.SYSTEM,
        patients=members(int(job.group_id)) if job.level == Level.GROUP else None,
        since=job.since,
        until=transaction_time,
        type_filters=searches,
    )


def _notes(job: ExportJob, directory: Path) -> list[dict[str, Any]]:
    """The manifest's error files: one OperationOutcome per thing ignored under handling=lenient."""
    if not job.notes:
        return []
    directory.mkdir(parents=True, exist_ok=True)
    name = "OperationOutcome-1.ndjson"
    with (directory / name).open("wb") as handle:
        for note in job.notes:
            outcome = operation_outcome(400, note)
            outcome["issue"][0].update(severity="warning", code="not-supported")
            handle.write(export.dumps(outcome) + b"\n")
    return [{"type": "OperationOutcome", "file": name, "count": len(job.notes)}]

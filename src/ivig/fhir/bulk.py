"""FHIR Bulk Data export jobs (Bulk Data Access IG v2): the kick-off's parameters, the job, its status and
manifest, cancel and delete, its files and their expiry. The export itself runs in the background worker
(ivig.fhir.bulk_run, through ivig.fhir.tasks); the HTTP side is ivig.fhir.bulk_api.

A job belongs to the user whose token started it: only that user, or an Admin, may poll it or download its
files; to anyone else it does not exist (404).
"""

from __future__ import annotations

import re
import shutil
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.http import Http404

from ivig import clock
from ivig.accounts.roles import Admin
from ivig.audit.events import record
from ivig.fhir import registry
from ivig.fhir.codes import instant
from ivig.fhir.export import in_compartment, parse_type_filter, split_type_filters
from ivig.fhir.models import ApiToken, ExportJob
from ivig.fhir.registry import SearchError
from ivig.fhir.scope import Forbidden, access_of, may_read
from ivig.patients.models import Patient

if TYPE_CHECKING:
    from ivig.accounts.models import User

Status = ExportJob.Status
Level = ExportJob.Level
ACTIVE = (Status.ACCEPTED, Status.RUNNING)
GONE = {
    Status.CANCELLED: "was cancelled",
    Status.DELETED: "was deleted",
    Status.EXPIRED: "has expired and its files were deleted",
}
OUTPUT_FORMATS = ("application/fhir+ndjson", "application/ndjson", "ndjson")
SUPPORTED = ("_outputFormat", "_since", "_type", "_typeFilter")
# Kick-off parameters of the IG this server does not support: refused by name, or ignored (and said so in the
# manifest's error files) under `Prefer: handling=lenient`.
UNSUPPORTED = ("_elements", "patient", "includeAssociatedData")
# Unfinished exports one user may have at once; another kick-off answers 429.
MAX_ACTIVE_PER_USER = 5
_INSTANT = re.compile(
    r"^(?P<base>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(?P<fraction>\d{1,9}))?(?P<tz>Z|[+-]\d{2}:\d{2})$"
)
FILE_NAME = re.compile(r"^[A-Z][A-Za-z]{1,63}-[0-9]{1,6}\.ndjson$")


class TooManyExports(Exception):
    """The user has MAX_ACTIVE_PER_USER exports waiting or running (HTTP 429)."""


@dataclass
class Plan:
    """A checked kick-off: what the worker will export."""

    level: str
    types: list[str]
    since: datetime | None = None
    type_filters: dict[str, list[str]] = field(default_factory=dict)
    group_id: str = ""
    notes: list[str] = field(default_factory=list)  # ignored under handling=lenient


def export_dir() -> Path:
    return Path(settings.IVIG_BULK_EXPORT_DIR)


def job_dir(job_id: Any) -> Path:
    return export_dir() / str(job_id)


def parse_instant(value: str) -> datetime:
    """A FHIR instant (`_since`): date, time to the second and a time zone, e.g. 2026-03-01T00:00:00Z."""
    text = value.strip()
    if re.fullmatch(r".*T\d{2}:\d{2}:\d{2}(\.\d+)? \d{2}:\d{2}", text):
        text = text[:-6] + "+" + text[-5:]  # an unencoded "+" in a query string arrives as a space
    found = _INSTANT.match(text)
    problem = SearchError(
        f"_since {value!r} is not a FHIR instant: give a date, a time to the second and a time zone, "
        "like 2026-03-01T00:00:00Z or 2026-03-01T08:00:00-05:00."
    )
    if not found:
        raise problem
    fraction = (found["fraction"] or "0")[:6].ljust(6, "0")
    tz = "+00:00" if found["tz"] == "Z" else found["tz"]
    try:
        return datetime.fromisoformat(f"{found['base']}.{fraction}{tz}")
    except ValueError:
        raise problem from None


def plan_export(
    *, user: Any, level: str, params: list[tuple[str, str]], lenient: bool, group_id: str = ""
) -> Plan:
    """Check a kick-off's parameters (SearchError: 400, Forbidden: 403) and say what to export."""
    notes: list[str] = []
    values: dict[str, list[str]] = {}
    for name, value in params:
        values.setdefault(name, []).append(value)
    ignored = [name for name in values if name not in SUPPORTED]
    if ignored:
        listed = ", ".join(ignored)
        if not lenient:
            known = [name for name in ignored if name in UNSUPPORTED]
            what = "does not support" if len(known) == len(ignored) else "has no (or does not support)"
            raise SearchError(
                f"This server {what} the $export parameter(s) {listed}. Supported: {', '.join(SUPPORTED)}; "
                "send Prefer: handling=lenient to have unsupported parameters ignored."
            )
        notes.append(f"Ignored the $export parameter(s) {listed} (not supported; Prefer: handling=lenient).")
    formats = values.get("_outputFormat", [])
    if len(formats) > 1 or (formats and formats[0].strip() not in OUTPUT_FORMATS):
        raise SearchError(f"_outputFormat must be one of {', '.join(OUTPUT_FORMATS)} (given once).")
    since_values = values.get("_since", [])
    if len(since_values) > 1:
        raise SearchError("Give _since once.")
    since = parse_instant(since_values[0]) if since_values else None
    requested = [
        name.strip() for value in values.get("_type", []) for name in value.split(",") if name.strip()
    ]
    types = _types(user, level, list(dict.fromkeys(requested)) or None, lenient, notes)
    filters: dict[str, list[str]] = {}
    for text in split_type_filters(values.get("_typeFilter", [])):
        resource_type, _search = parse_type_filter(text, user)
        if resource_type not in types:
            raise SearchError(
                f"_typeFilter {text!r} filters {resource_type}, which this export does not include "
                f"(it exports {', '.join(types)})."
            )
        filters.setdefault(resource_type, []).append(text.strip().partition("?")[2])
    return Plan(level=level, types=types, since=since, type_filters=filters, group_id=group_id, notes=notes)


def _exportable(resource_type: str, user: Any, compartment: bool) -> bool:
    return any(
        may_read(source, user) and (in_compartment(source) or not compartment)
        for source in registry.sources(resource_type)
    )


def _types(user: Any, level: str, requested: list[str] | None, lenient: bool, notes: list[str]) -> list[str]:
    """The export's types: those asked for (`_type`), or every type the user may read in the level's scope."""
    compartment = level != Level.SYSTEM
    known = registry.resource_types()
    if requested is None:
        types = [name for name in known if _exportable(name, user, compartment)]
        if not types:
            raise Forbidden("Your role does not allow reading any resource type this export could include.")
        return types
    unknown = [name for name in requested if name not in known]
    outside = [
        name
        for name in requested
        if compartment and name in known and not any(in_compartment(s) for s in registry.sources(name))
    ]
    forbidden = [
        name
        for name in requested
        if name in known and name not in outside and not _exportable(name, user, compartment)
    ]
    problems = []
    if unknown:
        problems.append(f"_type names types this server does not have: {', '.join(unknown)}")
    if outside:
        problems.append(f"_type names types outside the patient compartment: {', '.join(outside)}")
    if forbidden:
        problems.append(f"your role does not allow reading {', '.join(forbidden)}")
    if problems and not lenient:
        error = Forbidden if not unknown and not outside else SearchError
        text = "; ".join(problems)
        raise error(text[:1].upper() + text[1:] + ".")
    notes.extend(f"Left out: {problem} (Prefer: handling=lenient)." for problem in problems)
    types = [name for name in requested if name not in {*unknown, *outside, *forbidden}]
    if not types:
        raise SearchError("Nothing to export: " + "; ".join(problems) + ".")
    return types


@transaction.atomic
def start_export(*, by: User, token: Any, plan: Plan, request_url: str) -> ExportJob:
    """Record the job and queue it for the worker (both commit together); audited.

    `token`: the request's personal API token or SMART access token (or None). A SMART token's scopes and
    launch patient ride on `by` (ivig.fhir.scope); the job keeps them, so the worker reads within them too.
    """
    from ivig.fhir.tasks import run_export

    active = ExportJob.objects.select_for_update().filter(user=by, status__in=ACTIVE)
    if len(active) >= MAX_ACTIVE_PER_USER:
        raise TooManyExports(
            f"You have {MAX_ACTIVE_PER_USER} exports waiting or running: "
            "wait for one to finish, or cancel one."
        )
    access = access_of(by)
    client = str(getattr(token, "name", "") or "")
    job = ExportJob.objects.create(
        user=by,
        token=token if isinstance(token, ApiToken) else None,
        client=client[:200],
        smart_access=access.to_dict() if access is not None else None,
        level=plan.level,
        group_id=plan.group_id,
        request_url=request_url,
        types=plan.types,
        since=plan.since,
        type_filters=plan.type_filters,
        notes=plan.notes,
        progress="Waiting for the background worker",
    )
    run_export.enqueue(str(job.pk))
    scope = f"Group/{plan.group_id}" if plan.group_id else plan.level
    via = ""
    if client:
        via = f" with {client}" if access is not None else f" with API token {client!r}"
    # A patient-scoped SMART token exports one patient's compartment: the row is then about that patient.
    launch_patient = None
    if access is not None and access.patient_id is not None:
        launch_patient = Patient.objects.filter(pk=access.patient_id).first()
    record(
        action="fhir.export",
        by=by,
        target=job,
        patient=launch_patient,
        summary=f"Bulk export ({scope}) of {', '.join(plan.types)}{via}",
        after={
            "level": plan.level,
            "group": plan.group_id,
            "types": plan.types,
            "since": instant(plan.since),
            "type_filters": plan.type_filters,
            "client": client,
            "smart_scope": access.to_dict()["scope"] if access is not None else None,
        },
    )
    return job


def is_admin(user: Any) -> bool:
    return bool(user.is_superuser or user.groups.filter(name=Admin.name).exists())


def job_for(job_id: str, user: Any) -> ExportJob:
    """The user's job (an Admin's: any job); Http404 for one that is unknown, someone else's, or gone."""
    purge_expired()
    try:
        key = uuid.UUID(job_id)
    except ValueError:
        raise Http404(f"There is no bulk export {job_id!r}.") from None
    job = ExportJob.objects.filter(pk=key).first()
    if job is None or (job.user_id != user.pk and not is_admin(user)):
        raise Http404(f"There is no bulk export {job_id!r}.")
    if job.status in GONE:
        raise Http404(f"Bulk export {job_id} {GONE[Status(job.status)]}.")
    return job


def manifest(job: ExportJob, base: str) -> dict[str, Any]:
    """The complete-status body: `base` is the API's absolute URL, ending in "/"."""

    def items(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {"type": e["type"], "url": f"{base}$export-file/{job.pk}/{e['file']}", "count": e["count"]}
            for e in entries
        ]

    return {
        "transactionTime": instant(job.transaction_time),
        "request": job.request_url,
        "requiresAccessToken": True,
        "output": items(job.output),
        "error": items(job.errors),
    }


def progress(job: ExportJob) -> str:
    """The X-Progress header: under 100 characters, as the IG asks."""
    return (job.progress or job.get_status_display())[:99]


@transaction.atomic
def cancel_export(*, by: User, job: ExportJob) -> ExportJob:
    """DELETE on the status URL: cancel a waiting or running export (the worker stops and removes what it
    wrote), or delete a finished one's files. Either way the status URL answers 404 from now on."""
    job = ExportJob.objects.select_for_update().get(pk=job.pk)
    before = job.status
    if before in GONE:
        raise Http404(f"Bulk export {job.pk} {GONE[Status(before)]}.")
    running = before in ACTIVE
    job.status = Status.CANCELLED if running else Status.DELETED
    job.finished_at = job.finished_at or clock.now()
    job.save(update_fields=["status", "finished_at"])
    if not running:
        directory = job_dir(job.pk)
        transaction.on_commit(lambda: shutil.rmtree(directory, ignore_errors=True))
    record(
        action="fhir.export_cancel" if running else "fhir.export_delete",
        by=by,
        target=job,
        summary=f"Bulk export {job.pk} {'cancelled' if running else 'deleted with its files'}",
        before={"status": before},
        after={"status": job.status},
    )
    return job


def output_file(job: ExportJob, name: str) -> tuple[Path, dict[str, Any]]:
    """A complete job's file by name (Http404 for any other name: no paths, no other jobs' files)."""
    entry = next((e for e in [*job.output, *job.errors] if e["file"] == name), None)
    path = job_dir(job.pk) / name
    if job.status != Status.COMPLETE or entry is None or not FILE_NAME.match(name) or not path.is_file():
        raise Http404(f"Bulk export {job.pk} has no file {name!r}.")
    return path, entry


@transaction.atomic
def record_download(*, by: User, job: ExportJob, entry: dict[str, Any]) -> None:
    """Note in the audit trail that a user downloaded one file of an export."""
    launch = (job.smart_access or {}).get("patient_id")
    record(
        action="fhir.export_download",
        by=by,
        target=job,
        patient=Patient.objects.filter(pk=launch).first() if launch is not None else None,
        summary=f"Downloaded {entry['file']} ({entry['count']} {entry['type']}) of bulk export {job.pk}",
        after={"file": entry["file"], "type": entry["type"], "count": entry["count"]},
    )


def expiry(finished: datetime) -> datetime:
    return finished + timedelta(hours=settings.IVIG_BULK_EXPORT_HOURS)


def purge_expired() -> int:
    """Delete the files of complete exports past their expiry; how many exports expired."""
    due = list(
        ExportJob.objects.filter(status=Status.COMPLETE, expires_at__lte=clock.now()).values_list(
            "pk", flat=True
        )
    )
    for pk in due:
        shutil.rmtree(job_dir(pk), ignore_errors=True)
    if due:
        ExportJob.objects.filter(pk__in=due, status=Status.COMPLETE).update(status=Status.EXPIRED)
    return len(due)


def purge_orphans() -> int:
    """Delete the directories of exports that were cancelled, deleted or failed, if any are left.

    Only of exports this database knows: a directory it does not know (another database's, say a test run's
    beside the development server's) is left alone.
    """
    root = export_dir()
    if not root.is_dir():
        return 0
    found: dict[uuid.UUID, Path] = {}
    for path in root.iterdir():
        try:
            found[uuid.UUID(path.name)] = path
        except ValueError:
            continue  # not ours
    done = ExportJob.objects.filter(pk__in=list(found)).exclude(status__in=[*ACTIVE, Status.COMPLETE])
    removed = list(done.values_list("pk", flat=True))
    for pk in removed:
        shutil.rmtree(found[pk], ignore_errors=True)
    return len(removed)

"""Background tasks of the FHIR API, run by the worker (`manage.py db_worker`; Django's tasks API)."""

from __future__ import annotations

from django_tasks import task

from ivig.fhir import bulk, bulk_run


@task()
def run_export(job_id: str) -> str:
    """A FHIR bulk export (ivig.fhir.bulk_run): returns the job's final status."""
    return bulk_run.run(job_id)


@task()
def purge_exports() -> dict[str, int]:
    """Delete the files of expired exports, and any left by cancelled or failed ones."""
    return {"expired": bulk.purge_expired(), "orphans": bulk.purge_orphans()}

"""Background tasks of the follow-up, run by the worker on its schedule (ivig.ops.schedule)."""

from __future__ import annotations

from django_tasks import task

from ivig import clock
from ivig.followup.reminders import send_due_reminders


@task()
def send_reminders() -> dict[str, int]:
    """Send the after-infusion diary reminders that are due; a failed send is tried again next run."""
    run = send_due_reminders(clock.now())
    return {"sent": run.sent, "skipped_no_email": run.skipped_no_email, "failed": run.failed}

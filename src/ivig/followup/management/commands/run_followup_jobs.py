"""Send the diary reminders that are due. Run it every few minutes (cron, systemd timer); safe to repeat."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ivig import clock
from ivig.followup.reminders import send_due_reminders


class Command(BaseCommand):
    help = "Send due after-infusion diary reminders (24, 48, 72 h). Never sends the same reminder twice."

    def handle(self, *args: Any, **options: Any) -> None:
        run = send_due_reminders(clock.now())
        self.stdout.write(
            f"Reminders sent: {run.sent}; due but no e-mail on file: {run.skipped_no_email}; "
            f"failed (retried next run): {run.failed}"
        )
        if run.failed:
            raise SystemExit(1)

"""`ivig run-jobs`: the web app's periodic jobs (diary reminders). The one command that loads Django."""

from __future__ import annotations

import os

from ivig.cli.app import app


@app.command("run-jobs")
def run_jobs() -> None:
    """Send the after-infusion diary reminders that are due. Safe to run again: never sends twice."""
    # Imported here so the clinical commands never load Django.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ivig.config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("run_followup_jobs")

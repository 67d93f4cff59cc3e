"""django-tasks-db's worker, with ivig's beat beside it: a heartbeat and the periodic jobs (no cron needed).

This app comes before django_tasks_db in INSTALLED_APPS, so `manage.py db_worker` is this command.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from ivig.lib.process import process_marker
from ivig.ops.beat import Beat


class Command(db_worker.Command):
    help = db_worker.Command.help + " Beside it: the worker's heartbeat and ivig's periodic jobs."

    def handle(self, *args: Any, **options: Any) -> None:
        reloader_parent = options.get("reload") and process_marker(DJANGO_AUTORELOAD_ENV) != "true"
        beat = None
        if not reloader_parent and not options.get("batch"):
            beat = Beat(options["worker_id"], settings.IVIG_WORKER_BEAT_SECONDS)
            beat.start()
        try:
            super().handle(*args, **options)
        finally:
            if beat is not None:
                beat.stop()

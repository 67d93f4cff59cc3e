"""Replace the whole database with a backup, after checking its checksum. Stop the server and worker first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from ivig import clock
from ivig.audit import events
from ivig.ops.backups import BackupError, restore, verify
from ivig.ops.models import DatabaseCopy


class Command(BaseCommand):
    help = "Restore the database from a backup made by `manage.py backup` (checksum checked first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--yes", action="store_true", help="do not ask: the database is replaced")

    def handle(self, *args: Any, file: Path, yes: bool, **options: Any) -> None:
        try:
            digest = verify(file)
        except BackupError as error:
            raise CommandError(str(error)) from error
        name = str(connection.settings_dict["NAME"])
        if not yes:
            answer = input(f"Every row of {name} will be replaced by {file.name}. Type the database name: ")
            if answer.strip() != name:
                raise CommandError("Not restored: the name typed does not match.")
        try:
            restore(file)
        except BackupError as error:
            raise CommandError(str(error)) from error
        record = DatabaseCopy.objects.create(
            kind=DatabaseCopy.Kind.RESTORE,
            at=clock.now(),
            file=str(file),
            sha256=digest,
            size_bytes=file.stat().st_size,
            vendor=connection.vendor,
        )
        events.record(
            action="ops.restore",
            by=None,
            target=record,
            summary=f"database restored from {file.name} (sha256 {digest[:16]}…)",
            after={"file": str(file), "sha256": digest},
        )
        self.stdout.write(f"Restored {name} from {file} (SHA-256 {digest}).")

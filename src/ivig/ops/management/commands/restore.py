"""Replace the whole database with a backup, after checking its checksum. Stop the server and worker first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from ivig.ops.actions import restore_backup
from ivig.ops.backups import BackupError, verify


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
            restore_backup(file=file)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {name} from {file} (SHA-256 {digest}).")

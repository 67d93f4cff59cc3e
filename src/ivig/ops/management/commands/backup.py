"""Back up the whole database to a new file, with a SHA-256 checksum beside it (FILE.sha256)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ivig.ops.actions import make_backup
from ivig.ops.backups import BackupError


class Command(BaseCommand):
    help = "Back up the database (SQLite: online backup API; PostgreSQL: pg_dump) with a SHA-256 checksum."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, type=Path, help="a new file: never overwritten")

    def handle(self, *args: Any, output: Path, **options: Any) -> None:
        try:
            made = make_backup(output=output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backed up the {made.vendor} database to {made.file} ({made.size_bytes:,} bytes)")
        self.stdout.write(f"SHA-256 {made.sha256} (in {output.name}.sha256)")

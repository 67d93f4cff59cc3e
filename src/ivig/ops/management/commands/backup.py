"""Back up the whole database to a new file, with a SHA-256 checksum beside it (FILE.sha256)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ivig import clock
from ivig.audit import events
from ivig.ops.backups import BackupError, backup
from ivig.ops.models import DatabaseCopy


class Command(BaseCommand):
    help = "Back up the database (SQLite: online backup API; PostgreSQL: pg_dump) with a SHA-256 checksum."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, type=Path, help="a new file: never overwritten")

    def handle(self, *args: Any, output: Path, **options: Any) -> None:
        try:
            made = backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        record = DatabaseCopy.objects.create(
            kind=DatabaseCopy.Kind.BACKUP,
            at=clock.now(),
            file=str(made.path),
            sha256=made.sha256,
            size_bytes=made.size_bytes,
            vendor=made.vendor,
        )
        events.record(
            action="ops.backup",
            by=None,
            target=record,
            summary=f"database backed up to {made.path.name} (sha256 {made.sha256[:16]}…)",
            after={"file": str(made.path), "sha256": made.sha256, "bytes": made.size_bytes},
        )
        self.stdout.write(f"Backed up the {made.vendor} database to {made.path} ({made.size_bytes:,} bytes)")
        self.stdout.write(f"SHA-256 {made.sha256} (in {made.path.name}.sha256)")

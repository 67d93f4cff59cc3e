"""Backups and restores as audited actions: each leaves a DatabaseCopy row and an audit event."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.db import connection, transaction

from ivig import clock
from ivig.audit import events
from ivig.ops import backups
from ivig.ops.models import DatabaseCopy


def make_backup(*, output: Path) -> DatabaseCopy:
    made = backups.backup(output)  # outside the transaction: the copy must not wait on this one
    with transaction.atomic():
        copy = DatabaseCopy.objects.create(
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
            target=copy,
            summary=f"database backed up to {made.path.name} (sha256 {made.sha256[:16]}…)",
            after={"file": str(made.path), "sha256": made.sha256, "bytes": made.size_bytes},
        )
    return copy


def restore_backup(*, file: Path) -> DatabaseCopy:
    digest = backups.restore(file)
    with transaction.atomic():
        copy = DatabaseCopy.objects.create(
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
            target=copy,
            summary=f"database restored from {file.name} (sha256 {digest[:16]}…)",
            after={"file": str(file), "sha256": digest},
        )
    return copy


def backup_into(directory: Path, *, keep: timedelta) -> DatabaseCopy:
    """The nightly backup: a new time-stamped file in `directory`; files older than `keep` are deleted."""
    directory.mkdir(parents=True, exist_ok=True)
    now = clock.now()
    suffix = "sqlite3" if connection.vendor == "sqlite" else "pgdump"
    copy = make_backup(output=directory / f"ivig-{now:%Y%m%d-%H%M%S}.{suffix}")
    cutoff = (now - keep).timestamp()
    for old in directory.glob("ivig-*"):
        if old.is_file() and old.stat().st_mtime < cutoff and not old.name.endswith(".partial"):
            old.unlink()
    return copy

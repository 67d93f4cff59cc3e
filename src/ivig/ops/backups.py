"""Backups and restores of the whole database, each file with a SHA-256 checksum beside it.

SQLite: the online backup API (a consistent copy while the site runs; WAL included). PostgreSQL: pg_dump's
custom format, restored with pg_restore in one transaction. The password goes to pg_dump and pg_restore in
the environment, never on a command line that `ps` shows.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection, connections

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore was refused or failed; nothing was changed by a refusal."""


@dataclass(frozen=True)
class Backup:
    path: Path
    sha256: str
    size_bytes: int
    vendor: str


def checksum_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def backup(output: Path) -> Backup:
    """Write a backup of the default database to `output` (and `output`.sha256); never overwrite one."""
    if output.exists():
        raise BackupError(f"{output} exists: choose a new file name (backups are never overwritten)")
    if not output.parent.is_dir():
        raise BackupError(f"{output.parent} is not a directory")
    partial = output.with_name(output.name + ".partial")
    try:
        if connection.vendor == "sqlite":
            _sqlite_backup(partial)
        elif connection.vendor == "postgresql":
            _pg(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(partial)])
        else:
            raise BackupError(f"backups of {connection.vendor} are not supported")
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
    digest = sha256_of(output)
    checksum_path(output).write_text(f"{digest}  {output.name}\n")
    return Backup(output, digest, output.stat().st_size, connection.vendor)


def verify(path: Path) -> str:
    """The backup's checksum, after checking it against the .sha256 file and the current database kind."""
    if not path.is_file():
        raise BackupError(f"{path} is not a file")
    recorded_file = checksum_path(path)
    if not recorded_file.is_file():
        raise BackupError(f"{recorded_file.name} is missing: the backup cannot be checked, so it is not used")
    recorded = recorded_file.read_text().split()[0] if recorded_file.read_text().split() else ""
    actual = sha256_of(path)
    if recorded != actual:
        raise BackupError(f"{path.name} does not match its checksum: it is damaged or not the file backed up")
    with path.open("rb") as file:
        head = file.read(16)
    kind = "sqlite" if head.startswith(SQLITE_MAGIC) else "postgresql" if head.startswith(PG_MAGIC) else "?"
    if kind != connection.vendor:
        raise BackupError(f"{path.name} is a {kind} backup; this site's database is {connection.vendor}")
    return actual


def restore(path: Path) -> str:
    """Replace the whole default database with the backup's contents; return the backup's checksum."""
    digest = verify(path)
    if connection.vendor == "sqlite":
        _sqlite_restore(path)
    else:
        _pg(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                str(path),
            ]
        )
    return digest


def _sqlite_backup(target: Path) -> None:
    connection.ensure_connection()
    live: Any = connection.connection
    copy = sqlite3.connect(target)
    try:
        live.backup(copy)
    finally:
        copy.close()


def _sqlite_restore(source: Path) -> None:
    connections.close_all()
    backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    live = sqlite3.connect(connection.settings_dict["NAME"], timeout=30)
    try:
        backup_db.backup(live)
    finally:
        live.close()
        backup_db.close()
    with connection.cursor() as cursor:  # Django's connection: CHECK constraints call its REGEXP function
        cursor.execute("PRAGMA integrity_check")
        (result,) = cursor.fetchone()
    if result != "ok":
        raise BackupError(f"the restored database fails its integrity check: {result}")


def _pg(command: list[str]) -> None:
    program = shutil.which(command[0])
    if program is None:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client)")
    settings = connection.settings_dict
    env = {
        **os.environ,
        "PGHOST": str(settings.get("HOST") or ""),
        "PGPORT": str(settings.get("PORT") or ""),
        "PGUSER": str(settings.get("USER") or ""),
        "PGPASSWORD": str(settings.get("PASSWORD") or ""),
        "PGDATABASE": str(settings["NAME"]),
    }
    if command[0] == "pg_restore":
        connections.close_all()
        command = [*command[:-1], "--dbname", str(settings["NAME"]), command[-1]]
    result = subprocess.run([program, *command[1:]], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:2000]}")

"""The database's own guard on the audit trail: triggers that refuse UPDATE and DELETE of audit events.

The ORM refuses too (``AuditEventQuerySet``), but raw SQL, a database console or another program does not go
through it. Migration 0003 makes the triggers (docs/adr/0012-audit-rows-guarded-by-the-database.md):

- PostgreSQL: one plpgsql trigger function refusing every row UPDATE and DELETE, always. Django's flush (the
  test suite between transactional tests) empties tables with TRUNCATE, which fires no row trigger.
- SQLite: UPDATE is refused always; DELETE is refused unless the one-row table ``audit_maintenance`` holds a
  row. SQLite's flush runs ``DELETE FROM`` on every table, so the test suite (tests/conftest.py) puts the row
  in its own test database; a production database never has it unless someone deliberately deletes audit
  rows (a restore), with ``audit_deletes_allowed`` below, which takes the row out again afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection as default_connection

TABLE = "audit_auditevent"
MAINTENANCE = "audit_maintenance"
CHANGED = "audit events cannot be changed"
DELETED = "audit events cannot be deleted"

SQLITE_CREATE = [
    f"CREATE TABLE IF NOT EXISTS {MAINTENANCE} (id INTEGER PRIMARY KEY CHECK (id = 1), reason TEXT NOT NULL)",
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{CHANGED}'); END",
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
    f"WHEN NOT EXISTS (SELECT 1 FROM {MAINTENANCE}) "
    f"BEGIN SELECT RAISE(ABORT, '{DELETED}'); END",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_delete",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update",
    f"DROP TABLE IF EXISTS {MAINTENANCE}",
]
POSTGRESQL_CREATE = [
    f"""CREATE OR REPLACE FUNCTION {TABLE}_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION '{CHANGED}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RAISE EXCEPTION '{DELETED}' USING ERRCODE = 'integrity_constraint_violation';
END;
$$""",
    f"DROP TRIGGER IF EXISTS {TABLE}_immutable ON {TABLE}",
    f"CREATE TRIGGER {TABLE}_immutable BEFORE UPDATE OR DELETE ON {TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_immutable()",
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_immutable ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {TABLE}_immutable()",
]


def statements(vendor: str, *, create: bool = True) -> list[str]:
    """The SQL that makes (or removes) the guard on this database; none on another database."""
    if vendor == "sqlite":
        return SQLITE_CREATE if create else SQLITE_DROP
    if vendor == "postgresql":
        return POSTGRESQL_CREATE if create else POSTGRESQL_DROP
    return []


@contextmanager
def audit_deletes_allowed(reason: str, *, connection: Any = default_connection) -> Iterator[None]:
    """Let raw DELETEs of audit rows through on SQLite inside the block (a restore, a test flush).

    On PostgreSQL nothing changes: audit rows there go only with TRUNCATE, by the tables' owner.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT OR REPLACE INTO {MAINTENANCE} (id, reason) VALUES (1, %s)", [reason])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {MAINTENANCE}")


def allow_deletes_for_test_flush(connection: Any = default_connection) -> None:
    """Keep the SQLite maintenance row in a test database, so Django's flush (DELETE FROM) can empty the
    audit table between transactional tests. Only tests/conftest.py calls this."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT OR REPLACE INTO {MAINTENANCE} (id, reason) VALUES (1, 'test database')")

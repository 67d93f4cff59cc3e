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

# Literal SQL, no string building: the names are the constants above.
SQLITE_CREATE = [
    "CREATE TABLE IF NOT EXISTS audit_maintenance "
    "(id INTEGER PRIMARY KEY CHECK (id = 1), reason TEXT NOT NULL)",
    "CREATE TRIGGER IF NOT EXISTS audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit events cannot be changed'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent "
    "WHEN NOT EXISTS (SELECT 1 FROM audit_maintenance) "
    "BEGIN SELECT RAISE(ABORT, 'audit events cannot be deleted'); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update",
    "DROP TABLE IF EXISTS audit_maintenance",
]
POSTGRESQL_CREATE = [
    """CREATE OR REPLACE FUNCTION audit_auditevent_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'audit events cannot be changed' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RAISE EXCEPTION 'audit events cannot be deleted' USING ERRCODE = 'integrity_constraint_violation';
END;
$$""",
    "DROP TRIGGER IF EXISTS audit_auditevent_immutable ON audit_auditevent",
    "CREATE TRIGGER audit_auditevent_immutable BEFORE UPDATE OR DELETE ON audit_auditevent "
    "FOR EACH ROW EXECUTE FUNCTION audit_auditevent_immutable()",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditevent_immutable ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_auditevent_immutable()",
]
_ALLOW = "INSERT OR REPLACE INTO audit_maintenance (id, reason) VALUES (1, %s)"
_GUARD = "DELETE FROM audit_maintenance"


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
        cursor.execute(_ALLOW, [reason])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(_GUARD)


def allow_deletes_for_test_flush(connection: Any = default_connection) -> None:
    """Keep the SQLite maintenance row in a test database, so Django's flush (DELETE FROM) can empty the
    audit table between transactional tests. Only tests/conftest.py calls this."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(_ALLOW, ["test database"])

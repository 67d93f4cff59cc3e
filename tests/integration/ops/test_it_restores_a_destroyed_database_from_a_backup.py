"""The restore drill: back up, destroy the database, restore, and find every row and every audit event."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from ivig.audit.models import AuditEvent
from ivig.ops.backups import checksum_path, sha256_of
from ivig.ops.models import DatabaseCopy

pytestmark = pytest.mark.django_db(transaction=True)  # the backup must see committed rows


def _snapshot() -> dict[str, Any]:
    """Every model's primary keys, and every audit event whole."""
    rows = {
        model._meta.label: sorted(model._base_manager.values_list("pk", flat=True))
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }
    rows["audit events"] = list(AuditEvent.objects.order_by("id").values())
    return rows


def _destroy() -> None:
    """Drop every table (the schema too on PostgreSQL): SQL, not the files, as other connections hold them."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in connection.introspection.table_names():
                cursor.execute(f'DROP TABLE "{table}"')
            cursor.execute("PRAGMA foreign_keys = ON")
        else:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    assert connection.introspection.table_names() == []


def test_it_backs_up_destroys_and_restores_every_row_and_audit_event(
    tmp_path: Path, make_dispensed_order: Any, make_user: Any, capsys: Any
) -> None:
    make_dispensed_order()
    make_dispensed_order()
    before = _snapshot()
    assert len(before["audit events"]) >= 10

    target = tmp_path / "ivig.backup"
    call_command("backup", output=target)
    assert checksum_path(target).read_text() == f"{sha256_of(target)}  ivig.backup\n"
    assert "SHA-256" in capsys.readouterr().out

    _destroy()
    call_command("restore", str(target), yes=True)

    after = _snapshot()
    restored_events = after.pop("audit events")
    before_events = before.pop("audit events")
    assert restored_events[: len(before_events)] == before_events
    assert [event["action"] for event in restored_events[len(before_events) :]] == ["ops.restore"]
    (restore,) = DatabaseCopy.objects.all()  # the backup's own record was written after the copy was taken
    assert restore.kind == "restore" and restore.sha256 == sha256_of(target)
    after["ops.DatabaseCopy"] = []
    after["audit.AuditEvent"] = after["audit.AuditEvent"][:-1]  # the restore's own event
    assert after == before


def test_it_refuses_a_damaged_backup_and_changes_nothing(tmp_path: Path, make_dispensed_order: Any) -> None:
    make_dispensed_order()
    target = tmp_path / "ivig.backup"
    call_command("backup", output=target)
    before = _snapshot()
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("restore", str(target), yes=True)
    assert _snapshot() == before


def test_it_refuses_a_backup_without_its_checksum_file(tmp_path: Path) -> None:
    target = tmp_path / "ivig.backup"
    call_command("backup", output=target)
    checksum_path(target).unlink()
    with pytest.raises(CommandError, match=r"ivig\.backup\.sha256 is missing"):
        call_command("restore", str(target), yes=True)


def test_it_never_overwrites_a_backup(tmp_path: Path) -> None:
    target = tmp_path / "ivig.backup"
    target.write_bytes(b"an older backup")
    with pytest.raises(CommandError, match="exists"):
        call_command("backup", output=target)
    assert target.read_bytes() == b"an older backup"


def test_it_asks_for_the_database_name_before_restoring(tmp_path: Path, monkeypatch: Any) -> None:
    target = tmp_path / "ivig.backup"
    call_command("backup", output=target)
    monkeypatch.setattr("builtins.input", lambda prompt: "not-the-name")
    with pytest.raises(CommandError, match="does not match"):
        call_command("restore", str(target))
    assert not DatabaseCopy.objects.filter(kind="restore").exists()

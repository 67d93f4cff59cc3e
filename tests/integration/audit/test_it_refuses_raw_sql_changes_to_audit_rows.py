"""The database itself refuses to change or delete an audit event, even by raw SQL past the ORM: triggers made
by audit migration 0003, on SQLite and on PostgreSQL (issue 22, finding 5; ADR 0012)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from ivig.audit.guard import audit_deletes_allowed
from ivig.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(make_user, make_patient):
    make_patient(make_user("Nurse"), mrn="RAW1")
    return AuditEvent.objects.get(action="patient.create")


@pytest.fixture
def guarded():
    """The guard as in production: on SQLite the test database's maintenance row (which lets the test flush
    work) is taken out for this test; the test's transaction puts it back."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_maintenance")


def _raw(sql, params):
    with transaction.atomic(), connection.cursor() as cursor:  # a savepoint: PostgreSQL goes on after it
        cursor.execute(sql, params)


def test_it_refuses_a_raw_update_of_an_audit_row(event, guarded):
    with pytest.raises(DatabaseError, match="audit events cannot be changed"):
        _raw("UPDATE audit_auditevent SET summary = %s WHERE id = %s", ["tampered", event.pk])

    with pytest.raises(DatabaseError, match="audit events cannot be changed"):
        _raw("UPDATE audit_auditevent SET patient_mrn = %s", ["OTHER"])

    assert AuditEvent.objects.get(pk=event.pk).summary != "tampered"


def test_it_refuses_a_raw_delete_of_an_audit_row(event, guarded):
    with pytest.raises(DatabaseError, match="audit events cannot be deleted"):
        _raw("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])

    with pytest.raises(DatabaseError, match="audit events cannot be deleted"):
        _raw("DELETE FROM audit_auditevent", [])

    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the maintenance escape exists on SQLite only")
def test_it_lets_a_deliberate_delete_through_on_sqlite_and_guards_again_after(
    event, guarded, make_user, make_patient
):
    make_patient(make_user("Nurse", username="second-nurse"), mrn="RAW2")  # a row left to guard after
    with audit_deletes_allowed("restore from a backup"):
        _raw("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])

    assert not AuditEvent.objects.filter(pk=event.pk).exists()
    assert AuditEvent.objects.exists()
    with pytest.raises(DatabaseError, match="audit events cannot be deleted"):
        _raw("DELETE FROM audit_auditevent", [])
    with (
        pytest.raises(DatabaseError, match="audit events cannot be changed"),
        audit_deletes_allowed("not for updates"),
    ):
        _raw("UPDATE audit_auditevent SET summary = %s", ["tampered"])

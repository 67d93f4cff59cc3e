"""Triggers that refuse UPDATE and DELETE of audit events in the database itself (issue 22; ADR 0012).

The SQL depends on the database (ivig.audit.guard): a plpgsql trigger on PostgreSQL, two triggers and a
one-row maintenance table on SQLite.
"""

from django.db import migrations


def create_guard(apps, schema_editor):
    from ivig.audit.guard import statements

    for sql in statements(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)


def drop_guard(apps, schema_editor):
    from ivig.audit.guard import statements

    for sql in statements(schema_editor.connection.vendor, create=False):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_form_token")]

    operations = [migrations.RunPython(create_guard, drop_guard)]

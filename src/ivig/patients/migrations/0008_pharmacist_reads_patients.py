"""The Pharmacist role loses patients.change_patient: it reads patients, never edits them (issue 22)."""

from django.db import migrations


def sync_roles(apps, schema_editor):
    from ivig.accounts.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [("patients", "0007_updated_at")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]

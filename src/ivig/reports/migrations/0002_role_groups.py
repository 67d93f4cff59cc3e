"""Give Quality, Pharmacist and Admin the usage reports."""

from django.db import migrations


def sync_roles(apps, schema_editor):
    from ivig.accounts.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_usage_report"),
        ("hemovigilance", "0002_role_groups"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]

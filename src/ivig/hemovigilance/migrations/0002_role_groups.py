"""Give Pharmacist, Quality and Admin the recall lookback (and Quality the lot hold it ends with)."""

from django.db import migrations


def sync_roles(apps, schema_editor):
    from ivig.accounts.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("hemovigilance", "0001_initial"),
        ("inventory", "0006_role_groups"),
        ("orders", "0002_roles_and_criteria"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]

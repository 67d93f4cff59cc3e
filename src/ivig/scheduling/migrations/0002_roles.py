"""Give the Scheduler, Nurse and Admin roles their scheduling permissions."""

from django.db import migrations


def forwards(apps, schema_editor):
    from ivig.accounts.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0001_initial"),
        ("orders", "0002_roles_and_criteria"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

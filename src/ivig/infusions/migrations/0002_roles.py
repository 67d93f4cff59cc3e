"""Give the Nurse role its infusion permissions (and the viewing roles theirs)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from ivig.accounts.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("infusions", "0001_initial"),
        ("orders", "0002_roles_and_criteria"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

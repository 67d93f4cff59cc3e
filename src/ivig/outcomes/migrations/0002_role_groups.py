"""Give the roles their lab and outcome permissions: Prescriber and Nurse enter labs and outcomes, only the
Prescriber runs dose trials; Pharmacist, Quality, Approver and Admin see them."""

from django.db import migrations


def forwards(apps, schema_editor):
    from ivig.accounts.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0001_initial"),
        ("orders", "0002_roles_and_criteria"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

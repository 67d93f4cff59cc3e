"""Give the Prescriber, Pharmacist, Quality and Nurse roles their conservation permissions."""

from django.db import migrations


def forwards(apps, schema_editor):
    from ivig.accounts.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("conservation", "0001_initial"),
        ("portal", "0004_portalmessage"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

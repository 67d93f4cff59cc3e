"""Give the roles this app's permissions (Nurse and Admin: worklist, contacts, invitations; Quality: worklist)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from ivig.accounts.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

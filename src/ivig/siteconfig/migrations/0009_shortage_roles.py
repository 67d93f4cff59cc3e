"""Give Pharmacist, Quality and Admin the Supply page and the right to declare the shortage phase."""

from django.db import migrations


def sync_roles(apps, schema_editor):
    from ivig.accounts.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [("siteconfig", "0008_shortage")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]

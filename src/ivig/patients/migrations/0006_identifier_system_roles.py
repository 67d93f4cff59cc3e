"""Give the Admin role the identifier-system permissions (ivig.accounts.roles)."""

from django.db import migrations


def sync_roles(apps, schema_editor):
    from ivig.accounts.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [("patients", "0005_identifier_systems_and_mrn_rules")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]

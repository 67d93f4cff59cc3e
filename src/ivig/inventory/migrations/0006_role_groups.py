"""Give the roles the location, transfer, wastage and count permissions (ivig.accounts.roles)."""

from django.db import migrations


def sync_roles(apps, schema_editor):
    from ivig.accounts.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [("inventory", "0005_location_required")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]

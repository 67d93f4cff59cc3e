"""Create one group per role with the role's permissions (ivig.accounts.roles)."""

from django.db import migrations


def sync_roles(apps, schema_editor):
    from ivig.accounts.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("audit", "0001_initial"),
        ("siteconfig", "0001_initial"),
        ("patients", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]

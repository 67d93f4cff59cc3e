"""Give the Admin role the site tables it keeps in the Django admin (care sites, vital-sign ranges, SMART
apps, failed sign-ins): the demo Admin is no longer a superuser (ivig.accounts.roles.ADMIN_SITE_TABLES)."""

from django.db import migrations


def sync_roles(apps, schema_editor):
    from ivig.accounts.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("smart", "0001_initial"),
        ("siteconfig", "0007_caresite_updated_at"),
        ("infusions", "0006_updated_at"),
        ("accounts", "0003_loginfailure_at_from_the_clock"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]

"""Give Quality and Admin the adverse-event register (view, review and report)."""

from django.db import migrations


def sync_roles(apps, schema_editor):
    from ivig.accounts.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [("hemovigilance", "0003_adverse_event_report")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]

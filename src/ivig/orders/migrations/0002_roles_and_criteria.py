"""Give the roles their order permissions and seed version 1 of each indication's criteria.

Required baseline labs follow issue 4 (IgG for immunodeficiency, platelets for ITP). Review intervals follow
Ontario's rule (effectiveness reviewed at 6 months, then at least yearly; docs/reference/outcomes.md s10) for the
long-term indications; short courses have none. Whether approval is needed, and how recent a baseline lab must
be, are site decisions: no source sets them, so version 1 asks for no approval and the site changes it.
"""

import datetime

from django.db import migrations

SITE = "site decision (no source sets it)"
ONTARIO = "Ontario: review at 6 months, then at least yearly (docs/reference/outcomes.md s10)"
CRITERIA = [
    ("pi", ["igg"], 182, ONTARIO),
    ("sid", ["igg"], 182, ONTARIO),
    ("itp", ["platelets"], None, "issue 4: platelets for ITP; short course, no review interval"),
    ("kawasaki", [], None, "short course, no review interval"),
    ("cidp", [], 182, ONTARIO),
    ("gbs", [], None, "short course, no review interval"),
    ("mmn", [], 182, ONTARIO),
    ("dm", [], 182, ONTARIO),
]


def forwards(apps, schema_editor):
    from ivig.accounts.roles import sync_role_groups

    sync_role_groups(apps)
    criteria = apps.get_model("orders", "IndicationCriteria")
    for indication, labs, review_days, source in CRITERIA:
        criteria.objects.get_or_create(
            indication=indication,
            version=1,
            defaults={
                "required_labs": labs,
                "review_interval_days": review_days,
                "approval_required": False,
                "source": f"{source}; approval and baseline age: {SITE}",
                "effective_from": datetime.date(2000, 1, 1),
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0001_initial"),
        ("inventory", "0002_role_groups"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

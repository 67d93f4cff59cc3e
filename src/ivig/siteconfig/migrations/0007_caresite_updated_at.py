# The FHIR Group of a care site's patients takes its meta.lastUpdated from the site (issue 18).

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("siteconfig", "0006_temperature_unit"),
    ]

    operations = [
        migrations.AddField(
            model_name="caresite",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True),
        ),
        migrations.AddField(
            model_name="historicalcaresite",
            name="updated_at",
            field=models.DateTimeField(
                blank=True, db_index=True, default=django.utils.timezone.now, editable=False
            ),
            preserve_default=False,
        ),
    ]

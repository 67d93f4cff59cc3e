"""Seed the default location (the pharmacy) and put every existing balance and movement there."""

from django.db import migrations

PHARMACY_NAME = "Pharmacy"


def seed_pharmacy(apps, schema_editor):
    Location = apps.get_model("inventory", "Location")
    pharmacy = Location.objects.filter(is_default=True).first()
    if pharmacy is None:
        pharmacy = Location.objects.create(name=PHARMACY_NAME, kind="pharmacy", is_default=True)
    apps.get_model("inventory", "LotBalance").objects.filter(location__isnull=True).update(location=pharmacy)
    apps.get_model("inventory", "StockMovement").objects.filter(location__isnull=True).update(
        location=pharmacy
    )


class Migration(migrations.Migration):
    dependencies = [("inventory", "0003_locations_transfers_counts")]

    operations = [migrations.RunPython(seed_pharmacy, migrations.RunPython.noop)]

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("inventory", "0004_seed_pharmacy")]

    operations = [
        migrations.AlterField(
            model_name="lotbalance",
            name="location",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="balances", to="inventory.location"
            ),
        ),
        migrations.AlterField(
            model_name="stockmovement",
            name="location",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="movements", to="inventory.location"
            ),
        ),
    ]

from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "ivig.inventory"
    label = "inventory"
    verbose_name = "Inventory"

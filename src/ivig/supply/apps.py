from django.apps import AppConfig


class SupplyConfig(AppConfig):
    name = "ivig.supply"
    label = "supply"
    verbose_name = "Supply and shortage"

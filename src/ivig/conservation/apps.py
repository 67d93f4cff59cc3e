from django.apps import AppConfig


class ConservationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ivig.conservation"
    label = "conservation"
    verbose_name = "Conservation proposals and product substitution"

    def ready(self) -> None:
        from ivig.conservation.savings import measure_savings
        from ivig.supply.savings import register_savings_provider

        register_savings_provider(measure_savings)

from django.apps import AppConfig


class ConservationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ivig.conservation"
    label = "conservation"
    verbose_name = "Conservation proposals and product substitution"

from django.apps import AppConfig


class InfusionsConfig(AppConfig):
    name = "ivig.infusions"
    verbose_name = "Infusions"

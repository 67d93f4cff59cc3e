from django.apps import AppConfig


class HemovigilanceConfig(AppConfig):
    name = "ivig.hemovigilance"
    label = "hemovigilance"
    verbose_name = "Hemovigilance"

from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "ivig.scheduling"
    verbose_name = "Scheduling"

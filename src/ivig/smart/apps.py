from django.apps import AppConfig


class SmartConfig(AppConfig):
    name = "ivig.smart"
    label = "smart"
    verbose_name = "SMART apps"

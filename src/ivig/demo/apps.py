from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "ivig.demo"
    label = "demo"
    verbose_name = "Demo data"

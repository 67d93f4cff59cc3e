from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "ivig.web"
    label = "web"
    verbose_name = "Web layout"

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "ivig.portal"
    label = "portal"
    verbose_name = "Patient and family portal"
    default_auto_field = "django.db.models.BigAutoField"

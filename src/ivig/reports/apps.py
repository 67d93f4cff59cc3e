from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "ivig.reports"
    label = "reports"
    verbose_name = "Reports"

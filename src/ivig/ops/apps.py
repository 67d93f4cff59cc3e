from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running it as a service: health and readiness, metrics, the worker's schedule, backups."""

    name = "ivig.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        from ivig.ops import metrics

        metrics.register()

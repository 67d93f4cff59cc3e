from django.apps import AppConfig


class HemovigilanceConfig(AppConfig):
    name = "ivig.hemovigilance"
    label = "hemovigilance"
    verbose_name = "Hemovigilance"

    def ready(self) -> None:
        from ivig.hemovigilance import receivers  # noqa: F401  (connects the signal receivers)
        from ivig.hemovigilance.infusion_source import InfusionSource
        from ivig.hemovigilance.lookback import register_source

        register_source(InfusionSource())  # centre and home infusions, partly used vials

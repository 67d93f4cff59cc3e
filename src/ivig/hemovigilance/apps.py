from django.apps import AppConfig


class HemovigilanceConfig(AppConfig):
    name = "ivig.hemovigilance"
    label = "hemovigilance"
    verbose_name = "Hemovigilance"

    def ready(self) -> None:
        from ivig.hemovigilance import receivers  # noqa: F401  (connects the signal receivers)
        from ivig.hemovigilance.lookback import register_source
        from ivig.hemovigilance.receipts import ReceiptSource

        register_source(ReceiptSource())  # dispensings, centre and home infusions, partly used vials

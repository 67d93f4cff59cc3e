from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ivig.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from ivig.audit import (
            receivers,  # noqa: F401 - connects the receivers
            signals,  # noqa: F401  (sign-ins, sign-outs and failures into the trail)
        )

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ivig.audit"
    label = "audit"
    verbose_name = "Audit trail"

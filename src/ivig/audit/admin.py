"""Audit rows are visible in the admin and can be neither added, changed nor deleted there."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ivig.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = ["at", "actor_username", "action", "target_type", "target_id", "patient_mrn", "summary"]
    list_filter = ["action", "at"]
    search_fields = ["actor_username", "patient_mrn", "summary", "action"]
    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

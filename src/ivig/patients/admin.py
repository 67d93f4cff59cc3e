"""Patients are read-only in the admin: every change goes through the actions, which write the audit trail."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from ivig.accounts.requests import SignedInRequest
from ivig.patients.identifier_actions import delete_identifier_system, save_identifier_system
from ivig.patients.models import Allergy, IdentifierSystem, Measurement, Patient


class ReadOnlyAdmin(SimpleHistoryAdmin):  # type: ignore[misc]  # simple_history is untyped
    """No add, change or delete, and no revert from the history (the admin site refuses a history POST
    without the change permission: ivig.audit.admin_site)."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Patient)
class PatientAdmin(ReadOnlyAdmin):
    list_display = ["mrn", "family_name", "given_name", "date_of_birth", "sex_at_birth", "care_site"]
    search_fields = ["mrn", "family_name", "given_name"]


@admin.register(Measurement)
class MeasurementAdmin(ReadOnlyAdmin):
    list_display = ["patient", "measured_at", "weight_kg", "height_cm", "recorded_by"]


@admin.register(Allergy)
class AllergyAdmin(ReadOnlyAdmin):
    list_display = ["patient", "substance", "severity", "active"]


@admin.register(IdentifierSystem)
class IdentifierSystemAdmin(SimpleHistoryAdmin):  # type: ignore[misc]  # simple_history is untyped
    """The site table of other organisations' identifier systems the FHIR import trusts; changes audited."""

    audits_itself = True  # through save_identifier_system / delete_identifier_system
    list_display = ["name", "uri", "use", "active"]
    list_filter = ["use", "active"]
    search_fields = ["name", "uri"]

    def save_model(self, request: SignedInRequest, obj: IdentifierSystem, form: Any, change: bool) -> None:
        save_identifier_system(by=request.user, system=obj)

    def delete_model(self, request: SignedInRequest, obj: IdentifierSystem) -> None:
        delete_identifier_system(by=request.user, system=obj)

    def delete_queryset(self, request: SignedInRequest, queryset: Any) -> None:
        for system in queryset:
            delete_identifier_system(by=request.user, system=system)

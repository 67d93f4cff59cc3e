"""An Admin registers SMART apps in the Django admin: django-oauth-toolkit's Application with our SMART
settings inline (launch URL, public keys, service user). Registering, changing and deleting an app are
audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from oauth2_provider.admin import ApplicationAdmin
from oauth2_provider.models import get_application_model

from ivig.accounts.requests import SignedInRequest
from ivig.audit.events import record
from ivig.smart.models import SmartClient

Application = get_application_model()


class SmartClientInline(admin.StackedInline[SmartClient, Any]):
    model = SmartClient
    can_delete = False
    max_num = 1
    raw_id_fields = ("service_user",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    verbose_name = "SMART settings"
    verbose_name_plural = "SMART settings"


def _facts(application: Any) -> dict[str, Any]:
    smart = SmartClient.objects.filter(application=application).first()
    return {
        "name": application.name,
        "client_id": application.client_id,
        "client_type": application.client_type,
        "grant_type": application.authorization_grant_type,
        "redirect_uris": application.redirect_uris,
        "launch_url": smart.launch_url if smart else "",
        "keys": len((smart.jwks or {}).get("keys", [])) if smart else 0,
        "service_user": smart.service_user.get_username() if smart and smart.service_user else None,
    }


class SmartApplicationAdmin(ApplicationAdmin):  # type: ignore[misc]  # django-oauth-toolkit is untyped
    inlines = [SmartClientInline]
    audits_itself = True  # save_related and the deletes below record smart.app_* events

    def save_related(self, request: SignedInRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        application = form.instance
        record(
            action="smart.app_change" if change else "smart.app_register",
            by=request.user,
            target=application,
            summary=f"SMART app {application.name or application.client_id!r} "
            + ("changed" if change else "registered"),
            after=_facts(application),
        )

    def delete_model(self, request: SignedInRequest, obj: Any) -> None:
        _record_delete(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: SignedInRequest, queryset: QuerySet[Any]) -> None:
        for application in queryset:
            _record_delete(request, application)
        super().delete_queryset(request, queryset)


def _record_delete(request: SignedInRequest, application: Any) -> None:
    record(
        action="smart.app_delete",
        by=request.user,
        target=application,
        summary=f"SMART app {application.name or application.client_id!r} deleted",
        before=_facts(application),
    )


admin.site.unregister(Application)
admin.site.register(Application, SmartApplicationAdmin)

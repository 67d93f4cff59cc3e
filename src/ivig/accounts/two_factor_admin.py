"""The admin's side of two-factor sign-in: remove a user's device (a lost phone), audited.

Django-otp's own device admin pages are taken away: they would show secrets and delete devices unaudited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ivig.accounts import two_factor

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.action(
    permissions=["change"],
    description="Remove two-factor sign-in (lost phone): they set it up again at next sign-in",
)
def remove_two_factor(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> None:
    removed = 0
    for user in queryset:
        if two_factor.has_device(user):
            two_factor.remove_devices(user=user, by=request.user)  # type: ignore[arg-type]
            removed += 1
    modeladmin.message_user(request, f"Two-factor sign-in removed for {removed} user(s).", messages.SUCCESS)

"""Users in the admin. Roles (groups), permissions and the staff and superuser flags are a superuser's
to give: an Admin who is not one sees them read-only and cannot change a superuser's account at all. Every
save is audited by the admin site (ivig.audit.admin_site); a change to roles or flags as
`user.privileges_change`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import models
from django.http import HttpRequest

from ivig.accounts.models import LoginFailure, User
from ivig.accounts.two_factor_admin import remove_two_factor

PRIVILEGE_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")


@admin.register(User)
class IvigUserAdmin(UserAdmin):  # type: ignore[type-arg]
    actions = [remove_two_factor]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return fields
        return fields + tuple(name for name in PRIVILEGE_FIELDS if name not in fields)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Changing a superuser (their password, their e-mail) is a superuser's: else an Admin could take
        # over the account and with it every right.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def audit_action(self, obj: models.Model, verb: str, changed: Iterable[str]) -> str:
        if verb == "change" and set(changed) & set(PRIVILEGE_FIELDS):
            return "user.privileges_change"
        return {"add": "admin.add", "change": "admin.change"}.get(verb, "admin.delete")


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin[LoginFailure]):
    list_display = ["username", "ip_address", "at"]
    list_filter = ["at"]
    search_fields = ["username", "ip_address"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

"""The Django admin site: signs in under the staff sign-in's throttle, and audits every write made in it.

Every ModelAdmin registered on it (ours and the libraries': users, groups, OAuth applications) is given
`AuditedAdminMixin`, so an add, change or delete made in the admin writes an audit event with the fields
it changed (secrets shown only as changed). An admin whose saves already go through audited actions sets
`audits_itself = True`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest

from ivig.accounts.forms import ThrottledAdminAuthenticationForm
from ivig.audit.events import record

# Fields whose values never go into the audit trail, only the fact that they changed.
SECRET_FIELDS = frozenset({"password", "password1", "password2", "client_secret", "token", "key"})
DIFF = "_ivig_admin_diff"


def _shown(value: Any) -> Any:
    if isinstance(value, models.QuerySet | list | tuple | set):
        return sorted(str(item) for item in value)
    if isinstance(value, models.Model):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def form_changes(form: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Before and after of each field the admin form changed (secrets as "(changed)")."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name in getattr(form, "changed_data", []):
        if name in SECRET_FIELDS:
            before[name], after[name] = "", "(changed)"
            continue
        before[name] = _shown(form.initial.get(name))
        after[name] = _shown(form.cleaned_data.get(name))
    return before, after


def _message_fields(message: Any) -> list[str]:
    fields: list[str] = []
    for item in message if isinstance(message, list) else []:
        if isinstance(item, dict) and "changed" in item:
            fields.extend(str(name) for name in item["changed"].get("fields", []))
    return fields


def _label(obj: models.Model) -> str:
    return f"{obj._meta.verbose_name} {str(obj)[:120]!r}"


class AuditedAdminMixin:
    """Write an audit event for each add, change and delete the admin logs (see the module docstring)."""

    # The mixin comes first in the registered class's order, so a ModelAdmin's own `audits_itself` and
    # `audit_action(obj, verb, changed)` are read with getattr, not defined here.

    def _action(self, obj: models.Model, verb: str, changed: Iterable[str]) -> str:
        own = getattr(self, "audit_action", None)
        if own is not None:
            return str(own(obj, verb, changed))
        return {"add": "admin.add", "change": "admin.change"}.get(verb, "admin.delete")

    def history_form_view(self, request: HttpRequest, object_id: str, version_id: str, **kwargs: Any) -> Any:
        """django-simple-history's "revert to this version" form saves a POST after checking only that the
        user may view the history: a POST needs the right to change the record."""
        if request.method == "POST" and not self.has_change_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied("You may view this history but not change the record.")
        return super().history_form_view(request, object_id, version_id, **kwargs)  # type: ignore[misc]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        setattr(obj, DIFF, form_changes(form))
        super().save_model(request, obj, form, change)  # type: ignore[misc]

    def _audit(self, request: HttpRequest, obj: Any, verb: str, message: Any) -> None:
        if getattr(self, "audits_itself", False):
            return
        before, after = getattr(obj, DIFF, ({}, {}))
        changed = sorted(after)
        if verb == "change" and not changed:
            # A save outside the change form (the password form): Django's change message names the fields.
            changed = _message_fields(message)
        changed_text = ", ".join(str(name) for name in changed)
        summary = {
            "add": f"Admin: {_label(obj)} added",
            "change": f"Admin: {_label(obj)} changed" + (f" ({changed_text})" if changed_text else ""),
            "delete": f"Admin: {_label(obj)} deleted",
        }[verb]
        record(
            action=self._action(obj, verb, changed),
            by=request.user,  # type: ignore[arg-type]
            target=obj,
            summary=summary,
            before=before,
            after=after,
        )

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        self._audit(request, obj, "add", message)
        return super().log_addition(request, obj, message)  # type: ignore[misc]

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        self._audit(request, obj, "change", message)
        if hasattr(obj, DIFF):
            delattr(obj, DIFF)
        return super().log_change(request, obj, message)  # type: ignore[misc]

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        for obj in queryset:
            self._audit(request, obj, "delete", "")
        return super().log_deletions(request, queryset)  # type: ignore[misc]


class AuditedAdminSite(admin.AdminSite):
    login_form = ThrottledAdminAuthenticationForm

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AuditedAdminMixin):
            admin_class = type(
                admin_class.__name__, (AuditedAdminMixin, admin_class), {"__module__": admin_class.__module__}
            )
        super().register(model_or_iterable, admin_class, **options)

"""Sign-in form with throttling."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from ivig.accounts import throttle


class ThrottledAuthenticationForm(AuthenticationForm):
    """The staff and portal sign-in: refused while the username or the client's address is locked."""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        address = throttle.client_address(self.request)
        minutes = throttle.minutes_locked(username, address)
        if minutes:
            raise forms.ValidationError(
                "Too many failed sign-in attempts. Try again in %(minutes)d minute(s), "
                "or ask an administrator to reset your password.",
                code="throttled",
                params={"minutes": minutes},
            )
        return super().clean()


class ThrottledAdminAuthenticationForm(ThrottledAuthenticationForm, AdminAuthenticationForm):
    """The admin site's sign-in, under the same throttle (staff only, as Django's admin form)."""

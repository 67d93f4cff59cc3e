"""Sign-in form with throttling."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from ivig.accounts import throttle


class ThrottledAuthenticationForm(AuthenticationForm):
    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        address = self.request.META.get("REMOTE_ADDR") if self.request is not None else None
        minutes = throttle.minutes_locked(username, address)
        if minutes:
            raise forms.ValidationError(
                "Too many failed sign-in attempts. Try again in %(minutes)d minute(s), "
                "or ask an administrator to reset your password.",
                code="throttled",
                params={"minutes": minutes},
            )
        return super().clean()

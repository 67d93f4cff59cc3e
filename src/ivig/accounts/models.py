"""Users and failed-login records."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models

from ivig import clock


class User(AbstractUser):
    """A person who signs in: staff by role group, or a patient (or parent) through the portal."""

    # Moved on by ivig.accounts.access_cache whenever roles, permissions or two-factor devices change: the
    # workers keep each user's permissions under it, so a change is seen on the next request.
    access_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["username"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Never write access_version back from a copy loaded before a change: only its own UPDATE moves it.
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "access_version"
            ]
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def role_names(self) -> list[str]:
        from ivig.accounts import access_cache  # it imports this module

        return sorted(access_cache.role_names(self))


class LoginFailure(models.Model):
    """One failed sign-in. Recent rows for a username or address throttle further attempts."""

    username = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    # The app's clock, not auto_now_add: the throttle's window is measured on the same clock (ivig.clock).
    at = models.DateTimeField(default=clock.now, editable=False, db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.username} from {self.ip_address} at {self.at:%Y-%m-%d %H:%M}"

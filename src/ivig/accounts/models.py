"""Users and failed-login records."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from ivig import clock


class User(AbstractUser):
    """A person who signs in: staff by role group, or a patient (or parent) through the portal."""

    class Meta:
        ordering = ["username"]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def role_names(self) -> list[str]:
        return sorted(group.name for group in self.groups.all())


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

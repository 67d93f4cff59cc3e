"""Record failed sign-ins and clear them after a success."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from ivig.accounts import throttle


@receiver(user_login_failed)
def on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    address = request.META.get("REMOTE_ADDR") if request is not None else None
    throttle.record_failure(str(credentials.get("username", "")), address)


@receiver(user_logged_in)
def on_logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    throttle.clear_failures(user.get_username())

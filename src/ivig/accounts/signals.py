"""Record failed sign-ins and clear them after a success; tell listeners (the audit trail) about each.

`sign_in_failed` is sent for every failed sign-in with the recorded LoginFailure and `locked`: True when this
failure is the one that locked the username or the address.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import Signal, receiver

from ivig.accounts import throttle

sign_in_failed = Signal()  # sender: LoginFailure; kwargs: failure, locked, request


@receiver(user_login_failed)
def on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    address = throttle.client_address(request)
    username = str(credentials.get("username", ""))
    was_locked = throttle.minutes_locked(username, address) > 0
    failure = throttle.record_failure(username, address)
    locked = not was_locked and throttle.minutes_locked(username, address) > 0
    sign_in_failed.send(sender=type(failure), failure=failure, locked=locked, request=request)


@receiver(user_logged_in)
def on_logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    throttle.clear_failures(user.get_username())

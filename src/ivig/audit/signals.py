"""Sign-ins, sign-outs, failed sign-ins and lock-outs go into the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from ivig.accounts import throttle
from ivig.accounts.models import LoginFailure, User
from ivig.accounts.signals import sign_in_failed
from ivig.audit.events import record


@receiver(user_logged_in)
def on_signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    address = throttle.client_address(request)
    record(
        action="account.sign_in",
        by=user,
        target=user,
        summary=f"{user.get_username()} signed in from {address or 'an unknown address'}",
        after={"address": address},
    )


@receiver(user_logged_out)
def on_signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is None or not getattr(user, "pk", None):
        return
    record(action="account.sign_out", by=user, target=user, summary=f"{user.get_username()} signed out")


@receiver(sign_in_failed)
def on_sign_in_failed(sender: Any, failure: LoginFailure, locked: bool, **kwargs: Any) -> None:
    account = User.objects.filter(username__iexact=failure.username).first()
    where = failure.ip_address or "an unknown address"
    facts = {"username": failure.username, "address": failure.ip_address}
    record(
        action="account.sign_in_failed",
        by=None,
        target=account or failure,
        summary=f"Failed sign-in as {failure.username!r} from {where}",
        after=facts,
    )
    if locked:
        record(
            action="account.locked",
            by=None,
            target=account or failure,
            summary=f"Sign-in locked after repeated failures: {failure.username!r} from {where}",
            after=facts,
        )

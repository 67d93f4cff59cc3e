"""Two-factor sign-in (django-otp): an authenticator app (TOTP) and ten single-use recovery codes.

Who must use it: users in a role named in settings.IVIG_2FA_ROLES (a superuser counts as an Admin); anyone
else who turned it on from their account page is asked too. ivig.accounts.two_factor_middleware sends such a
user, signed in with a password but not yet verified, to enrol or to give a code before any page.

Failed codes are throttled by django-otp on the device itself: after n wrong codes in a row the next try is
refused for 2^(n-1) seconds (OTP_TOTP_THROTTLE_FACTOR, OTP_STATIC_THROTTLE_FACTOR scale it). Every step is
written to the audit trail. WebAuthn (security keys, passkeys) is not offered.
"""

from __future__ import annotations

import math
import re
from base64 import b32encode
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django_otp.models import Device, ThrottlingMixin
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ivig.accounts.roles import Admin

if TYPE_CHECKING:
    from ivig.accounts.models import User

# Every two-factor step, for the audit trail: ivig.audit records it (audit imports accounts, so accounts
# announces and audit writes). Sent inside the step's transaction: the event commits with it.
two_factor_event = Signal()

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
_APP_CODE = re.compile(r"\d{6}")


def _record(
    *, action: str, by: User, target: User, summary: str, after: dict[str, Any] | None = None
) -> None:
    answers = two_factor_event.send(
        sender="two_factor", action=action, by=by, user=target, summary=summary, after=after or {}
    )
    if not answers:  # never an unaudited step: the audit app must be listening
        raise RuntimeError("two-factor event not recorded: ivig.audit is not listening")


def required_for(user: Any) -> bool:
    """Return whether the user's role obliges them to give a second factor."""
    roles = set(settings.IVIG_2FA_ROLES)
    if not roles or not user.is_authenticated:
        return False
    if user.is_superuser and Admin.name in roles:
        return True
    from ivig.accounts import access_cache  # it imports this module's devices

    return bool(roles & access_cache.role_names(user))


def app_device(user: Any) -> TOTPDevice | None:
    """The user's confirmed authenticator-app device, if they have enrolled."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def has_device(user: Any) -> bool:
    return user.is_authenticated and app_device(user) is not None


def recovery_codes_left(user: Any) -> int:
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled: the same one (and QR code) until it is confirmed."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG QR code (no style attribute: the CSP allows none)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg: str = image.to_string(encoding="unicode")
    label = 'role="img" aria-label="QR code to scan with your authenticator app" '
    return svg.replace("<svg ", "<svg " + label, 1)


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of one code typed by the user."""

    device: Device | None  # the device that accepted it; None: refused
    recovery: bool = False  # a recovery code was used (and is now spent)
    locked_until: datetime | None = None  # refused without checking: too many wrong codes in a row
    wait_seconds: int = 0  # after a wrong code: how long before the next try is allowed

    @property
    def accepted(self) -> bool:
        return self.device is not None

    def refusal(self) -> str:
        """Say why the code was refused, in words for the page."""
        if self.locked_until is not None:
            return (
                f"Too many wrong codes: two-factor sign-in is locked for {_duration(self.locked_until)}."
                " Wait and try again with a new code, use a recovery code, or ask an administrator to"
                " remove your two-factor device if you have lost your phone."
            )
        text = "That code is not right. Check that you typed the newest 6-digit code from your app."
        if self.wait_seconds > 1:
            text += f" After repeated wrong codes the next try is allowed in {self.wait_seconds} seconds."
        return text


def _otp_now() -> datetime:
    # django-otp stamps its throttle (and TOTP reads the time) from the real clock, not ivig.clock: a lock is
    # measured on the clock that set it, and a phone's codes follow real time whatever the app's clock says.
    return timezone.now()  # noqa: TID251


def _duration(until: datetime) -> str:
    seconds = max(1, math.ceil((until - _otp_now()).total_seconds()))
    if seconds < 120:
        return f"{seconds} more second{'s' if seconds != 1 else ''}"
    return f"{math.ceil(seconds / 60)} more minutes"


def _locked_until(device: ThrottlingMixin) -> datetime | None:
    allowed, info = device.verify_is_allowed()
    return None if allowed else (info or {}).get("locked_until")


@transaction.atomic
def check_code(*, user: User, code: str, purpose: str) -> CodeCheck:
    """Check a 6-digit app code or a recovery code against the user's devices, throttled and audited.

    `purpose` says in the audit trail what the code was for ("sign-in", "new recovery codes", ...).
    """
    code = "".join(code.split()).lower()
    recovery = not _APP_CODE.fullmatch(code)
    model: type[TOTPDevice] | type[StaticDevice] = StaticDevice if recovery else TOTPDevice
    device = model.objects.devices_for_user(user, confirmed=True).select_for_update().first()
    if device is None:
        _record(action="two_factor.code_refused", by=user, target=user, summary=f"{purpose}: no such device")
        return CodeCheck(device=None, recovery=recovery)
    locked_until = _locked_until(device)
    if locked_until is not None:
        _record(
            action="two_factor.locked_out",
            by=user,
            target=user,
            summary=f"{purpose}: code refused unchecked after {device.throttling_failure_count} wrong codes",
            after={"locked_until": locked_until.isoformat(), "failures": device.throttling_failure_count},
        )
        return CodeCheck(device=None, recovery=recovery, locked_until=locked_until)
    if not device.verify_token(code):
        device.refresh_from_db()
        wait = _locked_until(device)
        _record(
            action="two_factor.code_refused",
            by=user,
            target=user,
            summary=f"{purpose}: wrong {'recovery' if recovery else 'app'} code"
            f" ({device.throttling_failure_count} in a row)",
            after={"failures": device.throttling_failure_count},
        )
        seconds = math.ceil((wait - _otp_now()).total_seconds()) if wait is not None else 0
        return CodeCheck(device=None, recovery=recovery, wait_seconds=max(0, seconds))
    if recovery:
        _record(
            action="two_factor.recovery_code_used",
            by=user,
            target=user,
            summary=f"{purpose}: recovery code used, {recovery_codes_left(user)} left",
        )
    return CodeCheck(device=device, recovery=recovery)


def record_sign_in(*, user: User, check: CodeCheck) -> None:
    how = "a recovery code" if check.recovery else "the authenticator app"
    _record(action="two_factor.verify", by=user, target=user, summary=f"Sign-in verified with {how}")


def _new_recovery_codes(user: User) -> list[str]:
    # The same device keeps its id: a session verified with a recovery code stays verified.
    device = StaticDevice.objects.filter(user=user).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    StaticToken.objects.filter(device=device).delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@dataclass(frozen=True)
class Enrolment:
    """The outcome of confirming a pending device: the recovery codes to show once, or why not."""

    device: TOTPDevice | None = None
    codes: list[str] = field(default_factory=list)
    refusal: str = ""


@transaction.atomic
def confirm_enrolment(*, user: User, device: TOTPDevice, code: str) -> Enrolment:
    """Confirm the pending device with a code from the app and make ten recovery codes.

    A wrong code is throttled and audited like any other.
    """
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
    locked_until = _locked_until(device)
    if locked_until is not None:
        _record(
            action="two_factor.locked_out", by=user, target=user, summary="enrolment: code refused unchecked"
        )
        return Enrolment(refusal=CodeCheck(device=None, locked_until=locked_until).refusal())
    if not device.verify_token("".join(code.split())):
        device.refresh_from_db()
        _record(
            action="two_factor.code_refused",
            by=user,
            target=user,
            summary=f"enrolment: wrong app code ({device.throttling_failure_count} in a row)",
        )
        return Enrolment(
            refusal="That code is not right. Check that the app shows this account, that the phone's time is"
            " right, and type the newest code."
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    codes = _new_recovery_codes(user)
    _record(
        action="two_factor.enrol",
        by=user,
        target=user,
        summary=f"Two-factor sign-in set up (authenticator app and {len(codes)} recovery codes)",
    )
    return Enrolment(device=device, codes=codes)


@transaction.atomic
def regenerate_recovery_codes(*, user: User) -> list[str]:
    """Replace the user's recovery codes (the old ones stop working); call after a fresh code was given."""
    codes = _new_recovery_codes(user)
    _record(action="two_factor.recovery_codes_new", by=user, target=user, summary="New recovery codes made")
    return codes


@transaction.atomic
def remove_devices(*, user: User, by: User) -> int:
    """Remove the user's app and recovery codes: they enrol again (if their role requires it) next time.

    `by` is the user themself (after a fresh code) or an administrator (a lost phone).
    """
    removed = TOTPDevice.objects.filter(user=user).count()
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    if by.pk == user.pk:
        _record(action="two_factor.device_remove", by=by, target=user, summary="Two-factor device removed")
    else:
        _record(
            action="two_factor.device_remove_by_admin",
            by=by,
            target=user,
            summary=f"Two-factor device of {user.get_username()} removed by an administrator",
        )
    return int(removed)

"""Helpers for the two-factor tests: codes from django-otp's TOTP, enrolment, signing in with a password."""

from __future__ import annotations

import time
from typing import Any

from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ivig.accounts import two_factor


def app_code(device: TOTPDevice) -> str:
    """The code a phone would show, for a time step the device has not yet accepted (no replay)."""
    device.refresh_from_db()
    now_t = int((time.time() - device.t0) // device.step)
    for offset in (-1, 0, 1):
        if now_t + device.drift + offset > device.last_t:
            token = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset)
            return f"{token:06d}"
    raise AssertionError("every code in the tolerance window has been used")


def wrong_code(device: TOTPDevice) -> str:
    used = {app_code(device)}
    device.refresh_from_db()
    for offset in range(-3, 4):
        used.add(f"{totp(device.bin_key, device.step, device.t0, device.digits, offset):06d}")
    return next(f"{n:06d}" for n in range(1000) if f"{n:06d}" not in used)


def enrolled(user: Any) -> tuple[TOTPDevice, list[str]]:
    """Enrol the user's authenticator app as the enrolment page does; return it and the recovery codes."""
    device = two_factor.pending_device(user)
    outcome = two_factor.confirm_enrolment(user=user, device=device, code=app_code(device))
    assert outcome.device is not None, outcome.refusal
    return outcome.device, outcome.codes


def password_sign_in(client: Any, username: str, password: str = "correct-horse-battery") -> Any:
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    assert response.status_code == 302, "the password step failed"
    return response


def give_code(client: Any, code: str, next_url: str = "/") -> Any:
    return client.post(reverse("two_factor:verify"), {"code": code, "next": next_url})

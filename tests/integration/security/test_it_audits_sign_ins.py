"""Sign-in, sign-out, a failed sign-in and the lock-out it causes each write an audit event."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ivig.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _sign_in(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_it_audits_signing_in_and_out(client, make_user):
    nurse = make_user("Nurse")

    _sign_in(client, "nurse", "correct-horse-battery")
    client.post(reverse("accounts:logout"))

    assert AuditEvent.objects.get(action="account.sign_in").actor_id == nurse.pk
    assert AuditEvent.objects.get(action="account.sign_out").actor_id == nurse.pk


def test_it_audits_failed_sign_ins_and_the_lock_out(client, make_user, settings):
    settings.IVIG_LOGIN_MAX_FAILURES = 2
    nurse = make_user("Nurse")

    _sign_in(client, "nurse", "wrong")
    _sign_in(client, "nurse", "wrong")

    failed = AuditEvent.objects.filter(action="account.sign_in_failed")
    assert failed.count() == 2 and failed.first().target_id == str(nurse.pk)
    locked = AuditEvent.objects.get(action="account.locked")
    assert "nurse" in locked.summary


def test_it_audits_a_failed_sign_in_for_an_unknown_name(client, db):
    _sign_in(client, "nobody", "wrong")

    event = AuditEvent.objects.get(action="account.sign_in_failed")
    assert event.target_type == "accounts.LoginFailure" and event.after["username"] == "nobody"

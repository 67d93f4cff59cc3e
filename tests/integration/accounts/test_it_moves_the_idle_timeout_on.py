"""The idle timeout runs from the last request, without a session write on every page."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ivig.accounts.sessions import refresh_interval


def _session_writes(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]


def test_it_moves_the_expiry_on_once_a_minute_while_in_use(client, make_user, fixed_clock, settings):
    settings.SESSION_COOKIE_AGE = 30 * 60
    client.force_login(make_user("Nurse"))
    url = reverse("patients:list")

    assert _session_writes(client, url)  # first request after sign-in: the expiry is moved on
    assert not _session_writes(client, url)  # seconds later: nothing written
    fixed_clock.advance(seconds=refresh_interval() - 1)
    assert not _session_writes(client, url)
    fixed_clock.advance(seconds=2)
    assert _session_writes(client, url)  # a minute on: moved again


def test_it_keeps_the_timeout_from_the_last_request(client, make_user, fixed_clock, settings):
    settings.SESSION_COOKIE_AGE = 30 * 60
    client.force_login(make_user("Nurse"))
    client.get(reverse("patients:list"))
    key = client.session.session_key

    expires = Session.objects.get(pk=key).expire_date
    fixed_clock.advance(minutes=5)
    client.get(reverse("patients:list"))

    assert Session.objects.get(pk=key).expire_date > expires
    assert 29 * 60 < client.session.get_expiry_age() <= 30 * 60


def test_it_writes_no_session_for_an_anonymous_visit(client, db):
    client.get(reverse("accounts:login"))

    assert not Session.objects.exists()

"""Within a request the site settings are one query however often they are read; a change is seen at once,
and outside a request (workers, commands) every read goes to the database."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ivig.lib.models import _end_request, _start_request
from ivig.siteconfig.models import SiteSettings

pytestmark = pytest.mark.django_db


def _queries(read):
    with CaptureQueriesContext(connection) as queries:
        value = read()
    return len(queries), value


def test_it_reads_them_once_within_a_request():
    SiteSettings.load()
    _start_request()
    try:
        first, _ = _queries(SiteSettings.load)
        again, _ = _queries(lambda: [SiteSettings.load() for _ in range(5)])
    finally:
        _end_request()

    assert first == 1 and again == 0


def test_it_sees_a_change_made_during_the_request():
    _start_request()
    try:
        settings = SiteSettings.load()
        settings.centre_name = "Renamed centre"
        settings.save()
        assert SiteSettings.load().centre_name == "Renamed centre"
    finally:
        _end_request()


def test_it_hands_out_copies_so_a_failed_form_changes_nothing():
    _start_request()
    try:
        SiteSettings.load().centre_name = "Typed into a form that then failed"
        assert SiteSettings.load().centre_name != "Typed into a form that then failed"
    finally:
        _end_request()


def test_it_reads_the_database_each_time_outside_a_request():
    SiteSettings.load()
    reads, _ = _queries(lambda: [SiteSettings.load() for _ in range(3)])

    assert reads == 3


def test_it_reads_them_once_for_a_whole_page(client, make_user):
    client.force_login(make_user("Nurse"))
    SiteSettings.load()  # the row exists, as on any site past its first page

    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("web:home")).status_code == 200

    assert sum("siteconfig_sitesettings" in q["sql"] for q in queries) <= 1

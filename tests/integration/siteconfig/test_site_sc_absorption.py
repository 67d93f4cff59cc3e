"""The SC absorption rate constant ka is a site setting with no default (the reference gives none)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from ivig.audit.models import AuditEvent
from ivig.siteconfig.models import SiteSettings
from tests.drivers.siteconfig import settings_form

pytestmark = pytest.mark.django_db


def test_it_starts_without_a_ka_and_the_core_has_none(client, make_user):
    settings = SiteSettings.load()
    assert settings.sc_ka_per_day is None
    assert not settings.sc_absorption().has_ka
    client.force_login(make_user("Admin"))
    html = client.get(reverse("siteconfig:settings")).content.decode()
    assert 'name="sc_ka_per_day"' in html and "Not in the reference data" in html


def test_it_saves_the_sites_ka_with_an_audit_event(client, make_user):
    client.force_login(make_user("Admin"))
    assert client.post(reverse("siteconfig:settings"), settings_form(sc_ka_per_day="0.8")).status_code == 302
    settings = SiteSettings.load()
    assert settings.sc_ka_per_day == Decimal("0.800")
    absorption = settings.sc_absorption()
    assert absorption.ka_per_day.value == 0.8 and "site settings" in absorption.ka_per_day.source
    event = AuditEvent.objects.filter(action="site_settings.update").latest("id")
    assert "sc_ka_per_day" in event.after


def test_it_refuses_a_ka_of_zero_and_changes_nothing(client, make_user):
    client.force_login(make_user("Admin"))
    response = client.post(reverse("siteconfig:settings"), settings_form(sc_ka_per_day="0"))
    assert response.status_code in (200, 422)
    assert SiteSettings.load().sc_ka_per_day is None


def test_it_shows_the_ka_to_staff_who_cannot_edit(client, make_user):
    settings = SiteSettings.load()
    settings.sc_ka_per_day = Decimal("0.5")
    settings.save()
    client.force_login(make_user("Prescriber"))  # may view, not change, site settings
    response = client.get(reverse("siteconfig:settings"))
    assert response.status_code == 200 and not response.context["can_edit"]
    text = re.sub(r"\s+", " ", response.content.decode())
    assert "0.500 per day (site value)" in text

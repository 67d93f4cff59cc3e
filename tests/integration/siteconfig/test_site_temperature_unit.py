"""The temperature unit follows the site: °C unless it sets °F, on the flowsheet and in the family diary."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ivig.audit.models import AuditEvent
from ivig.followup.actions import start_follow_up
from ivig.infusions.forms import VitalsForm
from ivig.siteconfig.models import SiteSettings
from tests.drivers.siteconfig import settings_form

pytestmark = pytest.mark.django_db


def _checked_unit(client, make_user, make_dispensed_order, portal_family) -> str:
    parent, (child,) = portal_family("units", "Noor")
    order = make_dispensed_order(patient=child)
    follow_up = start_follow_up(
        by=make_user("Nurse", username="fu"), order=order, ended_at=timezone.now() - timedelta(hours=24)
    )
    client.force_login(parent)
    html = client.get(reverse("followup:diary", args=[follow_up.pk])).content.decode()
    (checked,) = re.findall(r'<input type="radio" name="temp_unit" value="([CF])"[^>]*\bchecked\b', html)
    return checked


def test_it_defaults_to_celsius(client, make_user, make_dispensed_order, portal_family):
    assert SiteSettings.load().temperature_unit == "C"
    assert VitalsForm()["temperature_unit"].value() == "C"
    assert _checked_unit(client, make_user, make_dispensed_order, portal_family) == "C"


def test_a_site_that_sets_fahrenheit_gets_it_on_both_forms(
    client, make_user, make_dispensed_order, portal_family
):
    client.force_login(make_user("Admin"))
    saved = client.post(reverse("siteconfig:settings"), settings_form(temperature_unit="F"))

    assert saved.status_code == 302
    assert (
        AuditEvent.objects.filter(action="site_settings.update").latest("id").after["temperature_unit"] == "F"
    )
    assert VitalsForm()["temperature_unit"].value() == "F"
    assert _checked_unit(client, make_user, make_dispensed_order, portal_family) == "F"


def test_a_settings_form_without_the_unit_leaves_it_alone(client, make_user):
    settings = SiteSettings.load()
    settings.temperature_unit = "F"
    settings.save()
    client.force_login(make_user("Admin"))

    assert client.post(reverse("siteconfig:settings"), settings_form(centre_name="North")).status_code == 302
    assert SiteSettings.load().temperature_unit == "F"


def test_a_fahrenheit_reading_left_on_celsius_is_refused_not_stored(
    client, make_user, make_dispensed_order, portal_family
):
    from ivig.followup.forms import DiaryForm

    diary = DiaryForm({"temp": "101", "temp_unit": "C"})
    vitals = VitalsForm({"taken_at": "10:00", "temperature": "101", "temperature_unit": "C"})

    assert not diary.is_valid() and "temp" in diary.errors
    assert not vitals.is_valid() and "temperature" in vitals.errors

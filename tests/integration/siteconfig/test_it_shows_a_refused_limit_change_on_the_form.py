"""Saving the site settings goes the one path from form to action: a limit changed without its source is
refused by the action, shown on the form with 422, and nothing is saved."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from ivig.siteconfig.models import SiteSettings

pytestmark = pytest.mark.django_db


def test_it_shows_a_limit_change_without_a_source_on_the_form(client, make_user):
    client.force_login(make_user("Admin"))
    settings = SiteSettings.load()
    data = {
        "centre_name": settings.centre_name,
        "weight_policy": "actual",
        "rounding_rule": "nearest-vial",
        "max_g_per_kg_per_day": "1.5",
        "limits_source": "",
    }

    response = client.post(reverse("siteconfig:settings"), data)

    assert response.status_code == 422
    assert "Say where the new limits come from" in response.content.decode()
    assert SiteSettings.load().max_g_per_kg_per_day == Decimal("2")

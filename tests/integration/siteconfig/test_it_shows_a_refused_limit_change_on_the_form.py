"""Saving the site settings goes the one path from form to action: a limit changed without its source is
refused by the action, shown on the form with 422, and nothing is saved."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from ivig.siteconfig.models import SiteSettings

pytestmark = pytest.mark.django_db


def test_it_shows_a_limit_change_without_a_source_on_the_form(client, make_user):
    client.force_login(make_user("Admin"))
    unchanged = {
        name: "" if value is None else value for name, value in model_to_dict(SiteSettings.load()).items()
    }

    response = client.post(
        reverse("siteconfig:settings"), unchanged | {"max_g_per_kg_per_day": "1.5", "limits_source": ""}
    )

    assert response.status_code == 422
    assert "Say where the new limits come from" in response.content.decode()
    assert SiteSettings.load().max_g_per_kg_per_day == Decimal("2")

"""The site's dosing policy, set on the site settings page, is what orders are planned with."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from ivig.siteconfig.models import SiteSettings

pytestmark = pytest.mark.django_db


def test_it_plans_orders_with_the_site_per_day_maximum(client, make_user, make_order):
    admin = make_user("Admin")
    client.force_login(admin)
    settings = SiteSettings.load()
    data = {
        "centre_name": settings.centre_name,
        "weight_policy": "actual",
        "rounding_rule": "nearest-vial",
        "max_dose_g_per_day": "20",
        "risk_rate_cap_mg_per_kg_per_min": "",
    }
    assert client.post(reverse("siteconfig:settings"), data).status_code == 302
    assert SiteSettings.load().max_dose_g_per_day == Decimal("20")
    order = make_order(make_user("Prescriber"))  # 1 g/kg x 2 days for 25 kg: 50 g
    days = order.signed_plan["days"]
    assert len(days) == 3, "50 g split under the site's 20 g a day"
    assert any(w["code"] == "per-day-maximum" for w in order.signed_plan["warnings"])


def test_it_refuses_a_nonsense_per_day_maximum(client, make_user):
    client.force_login(make_user("Admin"))
    data = {
        "centre_name": "X",
        "weight_policy": "actual",
        "rounding_rule": "nearest-vial",
        "max_dose_g_per_day": "0",
    }
    response = client.post(reverse("siteconfig:settings"), data)
    assert response.status_code in (200, 422)
    assert SiteSettings.load().max_dose_g_per_day is None

"""The order sheet shows the clinical plan's numbers for the 25 kg ITP child: dose, vials, each pump rate."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _sheet(client, user, order):
    client.force_login(user)
    return client.get(reverse("orders:sheet", args=[order.pk]))


def test_it_shows_the_plans_numbers_for_the_itp_child(client, make_user, make_order):
    prescriber = make_user("Prescriber")
    order = make_order(prescriber)
    response = _sheet(client, make_user("Nurse"), order)
    assert response.status_code == 200
    html = response.content.decode()
    plan = order.plan
    assert order.reference in html
    assert order.patient.mrn in html
    assert "1 g/kg per day" in html
    assert "25 g" in html  # dose per day: 1 g/kg x 25 kg
    assert "1 × 20 g + 1 × 5 g" in html  # Privigen vials a day
    assert "2 × 20 g + 2 × 5 g (4 vials)" in html
    assert "Actual body weight" in html
    rates = [step["rate_ml_per_h"] for step in plan["days"][0]["steps"]]
    assert rates == [7.5, 15.0, 30.0, 60.0]
    table = html.split('id="sheet-rates"', 1)[1].split('id="sheet-monitoring"', 1)[0]
    shown = re.findall(r'<td class="num"><strong>([0-9.]+)</strong></td>', table)
    assert shown == ["7.5", "15", "30", "60"] * 2  # each step's mL/h, both days

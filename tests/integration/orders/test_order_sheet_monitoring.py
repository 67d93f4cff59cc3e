"""The sheet lists when to take vital signs and what to do in a reaction, naming the source."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _sheet(client, user, order):
    client.force_login(user)
    return client.get(reverse("orders:sheet", args=[order.pk]))


def test_it_shows_the_monitoring_schedule_with_its_source(client, make_user, make_order):
    order = make_order(make_user("Prescriber"))
    html = _sheet(client, make_user("Pharmacist"), order).content.decode()
    monitoring = html.split('id="sheet-monitoring"', 1)[1].split('id="sheet-premed"', 1)[0]
    for when in (
        "Before the start",
        "15 min after the start",
        "Before increasing to 15 mL/h",
        "Before increasing to 60 mL/h",
        "At the end of the infusion",
        "1 h after the end",  # first infusion: observe for an hour
    ):
        assert when in monitoring
    assert "docs/reference/monitoring.md s8" in monitoring
    reaction = html.split('id="sheet-reaction"', 1)[1]
    assert "stop the infusion at once" in reaction
    assert "epinephrine" in reaction

"""The pages: who may open them, no inline scripts or styles, flagged vital signs, the record and chart."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from ivig import clock
from tests.drivers.infusions import running
from tests.factories.infusions import VitalSignRangeFactory


def assert_no_inline_code(html: str) -> None:
    assert all("src=" in tag for tag in re.findall(r"<script\b[^>]*>", html))
    assert not re.search(r"\sstyle=", html) and not re.search(r"<style\b", html)
    assert re.search(r"\son[a-z]+=", html) is None


@pytest.mark.parametrize(
    ("role", "flowsheet", "record"),
    [
        ("Nurse", 200, 200),
        ("Prescriber", 403, 200),
        ("Quality", 403, 200),
        ("Scheduler", 403, 403),
        ("Patient", 403, 403),
    ],
)
def test_it_lets_nurses_run_and_others_read(
    client, make_user, dispensed_order, fixed_clock, role, flowsheet, record
):
    session = running(dispensed_order)
    client.force_login(make_user(role, username=f"someone-{role.lower()}"))
    assert client.get(reverse("infusions:flowsheet", args=[session.pk])).status_code == flowsheet
    assert client.get(reverse("infusions:record", args=[session.pk])).status_code == record
    assert client.get(reverse("infusions:list")).status_code == (200 if role == "Nurse" else 403)


def test_it_lists_orders_ready_to_start_and_links_from_the_order(client, dispensed_order, fixed_clock):
    d = dispensed_order
    client.force_login(d.nurse)
    listing = client.get(reverse("infusions:list")).content.decode()
    detail = client.get(reverse("orders:detail", args=[d.order.pk])).content.decode()
    assert d.order.reference in listing and "Start day 1" in listing
    assert reverse("infusions:start", args=[d.order.pk]) in detail


def test_it_renders_every_stage_without_inline_code(client, dispensed_order, fixed_clock):
    d = dispensed_order
    client.force_login(d.nurse)
    response = client.post(
        reverse("infusions:start", args=[d.order.pk]), {"setting": "home", "location": "Flat 3"}
    )
    session = d.order.infusion_sessions.get()
    assert response.status_code == 302
    pages = [client.get(reverse("infusions:flowsheet", args=[session.pk])).content.decode()]
    running_session = running(d, day_number=2)
    pages.append(client.get(reverse("infusions:flowsheet", args=[running_session.pk])).content.decode())
    pages.append(client.get(reverse("infusions:record", args=[running_session.pk])).content.decode())
    pages.append(client.get(reverse("infusions:status", args=[running_session.pk])).content.decode())
    for html in pages:
        assert_no_inline_code(html)
    assert "Pre-infusion checklist" in pages[0]
    assert 'class="rate-chart"' in pages[2] and "record-print.css" in pages[2]


def test_it_flags_vital_signs_outside_the_site_ranges(client, dispensed_order, fixed_clock):
    d = dispensed_order
    VitalSignRangeFactory(measure="temperature_c", high=Decimal("38.0"), source="site fever protocol")
    VitalSignRangeFactory(
        measure="heart_rate",
        low=70,
        high=120,
        min_age_years=6,
        max_age_years=12,
        source="site paediatric chart",
    )
    VitalSignRangeFactory(measure="heart_rate", low=50, high=100, min_age_years=18, source="site adult chart")
    session = running(d)
    client.force_login(d.nurse)
    at = clock.now().astimezone().strftime("%Y-%m-%dT%H:%M")

    response = client.post(
        reverse("infusions:vitals", args=[session.pk]),
        {
            "taken_at": at,
            "temperature": "101.3",
            "temperature_unit": "F",
            "heart_rate": "110",
        },
    )

    assert response.status_code == 302
    vitals = session.vitals.latest("id")
    assert vitals.temperature_c == Decimal("38.5")
    assert vitals.flags == ["Temperature 38.5 °C is above 38"]  # 110/min is fine for an 8-year-old here
    page = client.get(reverse("infusions:flowsheet", args=[session.pk])).content.decode()
    assert "Temperature 38.5 °C is above 38" in page


def test_it_answers_bad_input_with_a_message(client, dispensed_order, fixed_clock):
    d = dispensed_order
    session = running(d)
    client.force_login(d.nurse)
    bad = client.post(
        reverse("infusions:vitals", args=[session.pk]), {"taken_at": "yesterday", "heart_rate": "9000"}
    )
    empty = client.post(reverse("infusions:pump_rate", args=[session.pk]), {"version": session.version})
    assert bad.status_code == 422 and "Enter the date and time" in bad.content.decode()
    assert "cannot be right" in bad.content.decode()
    assert empty.status_code == 422
    assert client.get(reverse("infusions:flowsheet", args=[999999])).status_code == 404

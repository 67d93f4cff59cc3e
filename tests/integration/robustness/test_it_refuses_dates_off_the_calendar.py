"""Dates a person types are held to 1900-01-01..2200-12-31: pages that step a day either side of the date,
or filter up to the start of the next day, answer 400 with a message instead of overflowing into a 500."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from ivig import clock
from ivig.lib.dates import OUT_OF_RANGE
from ivig.reports.catalog import REPORTS

pytestmark = pytest.mark.django_db

EDGES = ["0001-01-01", "0001-01-02", "9999-12-31", "1899-12-31", "2201-01-01"]
MESSAGE = OUT_OF_RANGE.replace("'", "&#x27;")


@pytest.mark.parametrize("url_name", ["scheduling:day", "scheduling:home"])
@pytest.mark.parametrize("day", EDGES)
def test_it_refuses_a_schedule_day_off_the_calendar(client, make_user, url_name, day):
    client.force_login(make_user("Scheduler"))

    response = client.get(reverse(url_name), {"date": day})

    assert response.status_code == 400
    assert MESSAGE in response.content.decode()


@pytest.mark.parametrize("back", [1, 400])
def test_it_opens_a_past_day_through_its_previous_day_link(client, make_user, back):
    client.force_login(make_user("Scheduler"))
    day = clock.localdate() - timedelta(days=back)

    response = client.get(reverse("scheduling:day"), {"date": day.isoformat()})
    previous = response.context["previous"]

    assert response.status_code == 200
    assert client.get(reverse("scheduling:day"), {"date": previous.isoformat()}).status_code == 200


@pytest.mark.parametrize("slug", [spec.slug for spec in REPORTS])
@pytest.mark.parametrize("url_name", ["reports:report", "reports:csv"])
def test_it_refuses_a_report_period_off_the_calendar(client, make_user, slug, url_name):
    client.force_login(make_user("Quality"))

    response = client.get(reverse(url_name, args=[slug]), {"start": "9999-12-30", "end": "9999-12-31"})

    assert response.status_code == 400
    assert OUT_OF_RANGE in response.content.decode().replace("&#x27;", "'")


@pytest.mark.parametrize(
    "url_name", ["audit:list", "hemovigilance:ae_worklist", "hemovigilance:ae_medwatch_csv"]
)
@pytest.mark.parametrize("field", ["date_from", "date_to"])
def test_it_refuses_a_list_filter_off_the_calendar(client, make_user, url_name, field):
    client.force_login(make_user("Quality"))

    response = client.get(reverse(url_name), {field: "9999-12-31"})

    assert response.status_code == 400
    assert OUT_OF_RANGE in response.content.decode().replace("&#x27;", "'")


@pytest.mark.parametrize("first", ["9999-12-31", "0001-01-01"])
def test_it_refuses_a_booking_off_the_calendar(client, make_user, make_order, first):
    scheduler = make_user("Scheduler")
    order = make_order(make_user("Prescriber"))
    client.force_login(scheduler)

    response = client.post(
        reverse("scheduling:book", args=[order.pk]),
        {"mode": "find", "first": first, "last": first, "start": "09:00"},
    )

    assert response.status_code in (400, 422)
    assert MESSAGE in response.content.decode()

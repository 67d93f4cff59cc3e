"""The home-visit list's `?nurse=` is a FilterSet: one home nurse's visits, and a filter that is not a home
nurse answers 400 with nothing listed."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.urls import reverse

from ivig.scheduling import actions
from ivig.scheduling.models import NurseShift

pytestmark = pytest.mark.django_db


@pytest.fixture
def visits(make_user, make_order):
    """Two home nurses on shift tomorrow and the day after, each with one two-day course of home visits."""
    day, scheduler = date.today() + timedelta(days=1), make_user("Scheduler")
    booked = {}
    for name in ("ann", "bea"):
        nurse = make_user("Nurse", username=name)
        shifts = [day, day + timedelta(days=1)]
        NurseShift.objects.bulk_create(
            NurseShift(nurse=nurse, day=d, start=time(8), end=time(20), home_visits=True) for d in shifts
        )
        order = make_order(make_user("Prescriber", username=f"doctor-{name}"))
        actions.book_home_visits(by=scheduler, order=order, first=day, start=time(9), nurse=nurse)
        booked[name] = (nurse, order.reference)
    return day, scheduler, booked


def test_it_lists_the_chosen_home_nurses_visits_only(client, visits):
    day, scheduler, booked = visits
    client.force_login(scheduler)

    response = client.get(reverse("scheduling:home"), {"date": day.isoformat(), "nurse": booked["ann"][0].pk})

    page = response.content.decode()
    assert response.status_code == 200 and response.context["chosen"] == booked["ann"][0]
    assert booked["ann"][1] in page and booked["bea"][1] not in page


def test_it_answers_a_nurse_that_is_not_a_home_nurse_with_400(client, visits):
    day, scheduler, booked = visits
    client.force_login(scheduler)

    response = client.get(reverse("scheduling:home"), {"date": day.isoformat(), "nurse": "ann"})

    assert response.status_code == 400
    assert booked["ann"][1] not in response.content.decode()

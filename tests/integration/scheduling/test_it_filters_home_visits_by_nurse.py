"""The home-visit list's `?nurse=` is a FilterSet: one home nurse's visits, and a filter that is not a home
nurse answers 400 with nothing listed."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.urls import reverse

from ivig.scheduling import actions
from ivig.scheduling.models import NurseShift
from tests.integration.scheduling_fixtures import centre

__all__ = ["centre"]
pytestmark = pytest.mark.django_db


def _home_nurse_with_a_visit(centre, make_user, make_order, username):
    nurse = make_user("Nurse", username=username)
    for offset in range(2):  # the course has two days
        NurseShift.objects.create(
            nurse=nurse,
            day=centre.day + timedelta(days=offset),
            start=time(8),
            end=time(20),
            home_visits=True,
        )
    order = make_order(make_user("Prescriber", username=f"doctor-of-{username}"))
    actions.book_home_visits(by=centre.scheduler, order=order, first=centre.day, start=time(9), nurse=nurse)
    return nurse, order


def test_it_lists_the_chosen_home_nurses_visits_only(client, make_user, make_order, centre):
    ann, ann_order = _home_nurse_with_a_visit(centre, make_user, make_order, "ann")
    _bea, bea_order = _home_nurse_with_a_visit(centre, make_user, make_order, "bea")
    client.force_login(centre.scheduler)

    response = client.get(reverse("scheduling:home"), {"date": centre.day.isoformat(), "nurse": ann.pk})

    page = response.content.decode()
    assert response.status_code == 200 and response.context["chosen"] == ann
    assert ann_order.reference in page and bea_order.reference not in page


def test_it_answers_a_nurse_that_is_not_a_home_nurse_with_400(client, make_user, make_order, centre):
    _ann, order = _home_nurse_with_a_visit(centre, make_user, make_order, "ann")
    client.force_login(centre.scheduler)

    response = client.get(reverse("scheduling:home"), {"date": centre.day.isoformat(), "nurse": "ann"})

    assert response.status_code == 400
    assert order.reference not in response.content.decode()

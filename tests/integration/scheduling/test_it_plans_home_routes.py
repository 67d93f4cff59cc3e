"""Optimising a home day stores each nurse's route, checked by the core's route checker before saving."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_it_stores_a_route_for_each_nurse_with_every_visit(home_team):
    from ivig.scheduling.models import HomeDayPlan, RouteStop
    from ivig.scheduling.route_actions import optimise_home_day

    plan = optimise_home_day(by=home_team.scheduler, day=home_team.day)

    stops = RouteStop.objects.filter(route__plan=plan)
    assert HomeDayPlan.objects.get(day=home_team.day) == plan
    assert sorted(s.appointment_id for s in stops) == sorted(a.pk for a in home_team.visits)
    assert plan.unassigned == []

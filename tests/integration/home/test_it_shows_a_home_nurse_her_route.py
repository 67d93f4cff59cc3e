"""A home-infusion nurse opens the app in the morning and sees her route: each stop's time, patient and
arrival, in the order she drives them; a nurse with no route today sees no such panel."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from django.urls import reverse
from django.utils import timezone

from ivig.scheduling.models import RouteStop
from ivig.scheduling.route_actions import optimise_home_day

pytestmark = pytest.mark.django_db


def test_it_lists_her_stops_in_route_order(client, home_team, fixed_clock, make_user):
    optimise_home_day(by=home_team.scheduler, day=home_team.day)
    fixed_clock.set(timezone.make_aware(datetime.combine(home_team.day, time(6, 30))))
    nurse = home_team.nurses[0]
    client.force_login(nurse)

    page = client.get(reverse("web:home")).content.decode()
    panel = page.split('data-testid="panel-route"')[1].split("</section>")[0]

    stops = RouteStop.objects.filter(route__nurse=nurse).order_by("position")
    assert stops.exists()
    assert "My home visits today" in panel
    names = [stop.appointment.patient.mrn for stop in stops]
    positions = [panel.index(mrn) for mrn in names]
    assert positions == sorted(positions)  # in the order she drives them
    others = RouteStop.objects.exclude(route__nurse=nurse).values_list("appointment__patient__mrn", flat=True)
    assert not [mrn for mrn in others if mrn not in names and mrn in panel]  # only her own stops
    assert reverse("scheduling:route", args=[home_team.day.isoformat(), nurse.pk]) in panel


def test_it_shows_no_route_panel_to_a_nurse_without_one(client, home_team, fixed_clock, make_user):
    optimise_home_day(by=home_team.scheduler, day=home_team.day)
    fixed_clock.set(timezone.make_aware(datetime.combine(home_team.day, time(6, 30))))
    client.force_login(make_user("Nurse", username="centre-nurse"))

    assert "My home visits today" not in client.get(reverse("web:home")).content.decode()

"""Optimising a home day stores each nurse's route, checked by the core's route checker before saving;
confirmed visits stay where they are when the day is planned again after a cancellation or an addition."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from tests.drivers.home_routes import book_where_free, optimise, stops_of, stored_routes_pass_the_checker

pytestmark = pytest.mark.django_db


def test_it_stores_a_route_for_each_nurse_with_every_visit(home_team):
    from ivig.audit.models import AuditEvent
    from ivig.scheduling.models import Appointment

    plan = optimise(home_team)

    stops = stops_of(home_team.day)
    assert sorted(stops) == sorted(a.pk for a in home_team.visits)
    assert plan.unassigned == []
    assert stored_routes_pass_the_checker(home_team.day) == []
    for a in Appointment.objects.filter(pk__in=stops):  # the booking follows the route
        assert (a.start, a.nurse_id) == (stops[a.pk].start, stops[a.pk].route.nurse_id)
    assert AuditEvent.objects.filter(action="home_day.optimise").count() == 1


def test_it_keeps_a_confirmed_visit_at_its_nurse_and_time_when_re_optimised(home_team):
    from ivig.scheduling.day import at
    from ivig.scheduling.models import Appointment
    from ivig.scheduling.route_actions import confirm_visit

    optimise(home_team)
    # The family agreed 10:17 with the second nurse: a time no planner picks by itself.
    visit = home_team.visits[0]
    Appointment.objects.filter(pk=visit.pk).update(
        nurse=home_team.nurses[1],
        start=at(home_team.day, 617),
        end=at(home_team.day, 617 + visit.duration_min),
    )
    confirm_visit(by=home_team.scheduler, appointment=visit)

    optimise(home_team)

    stop = stops_of(home_team.day)[visit.pk]
    assert (stop.route.nurse_id, stop.start) == (home_team.nurses[1].pk, at(home_team.day, 617))
    assert stored_routes_pass_the_checker(home_team.day) == []


def test_it_re_plans_after_a_cancellation_without_the_cancelled_visit(home_team, client):
    from django.urls import reverse

    from ivig.scheduling.actions import cancel_appointment
    from ivig.scheduling.route_actions import confirm_visit

    optimise(home_team)
    kept = confirm_visit(by=home_team.scheduler, appointment=home_team.visits[2])
    kept_stop = stops_of(home_team.day)[kept.pk]
    cancelled = home_team.visits[1]
    cancel_appointment(by=home_team.scheduler, appointment=cancelled, reason="Family away")
    client.force_login(home_team.scheduler)
    stale = client.get(reverse("scheduling:home_day"), {"date": home_team.day.isoformat()})

    optimise(home_team)

    stops = stops_of(home_team.day)
    assert 'data-testid="stale"' in stale.content.decode()
    assert cancelled.pk not in stops
    assert sorted(stops) == sorted(a.pk for a in home_team.visits if a.pk != cancelled.pk)
    assert (stops[kept.pk].route.nurse_id, stops[kept.pk].start) == (
        kept_stop.route.nurse_id,
        kept_stop.start,
    )
    assert stored_routes_pass_the_checker(home_team.day) == []


def test_it_routes_a_visit_added_after_the_day_was_planned(home_team, make_patient, make_order):
    from ivig.patients.models import Patient
    from tests.plugins.home_routes import MAINTENANCE

    optimise(home_team)
    patient = make_patient(home_team.prescriber, family_name="Evans", mrn="H00099")
    Patient.objects.filter(pk=patient.pk).update(home_latitude="45.505", home_longitude="-73.59")
    order = make_order(home_team.prescriber, patient=patient, **MAINTENANCE)
    added = book_where_free(home_team, order)

    plan = optimise(home_team)

    assert added.pk in stops_of(home_team.day) or any(u["appointment"] == added.pk for u in plan.unassigned)
    assert stored_routes_pass_the_checker(home_team.day) == []


def test_it_refuses_a_plan_the_checker_rejects_and_saves_nothing(home_team, monkeypatch, client):
    import dataclasses

    from django.urls import reverse

    from ivig.scheduling import route_actions
    from ivig.scheduling.day import BookingError
    from ivig.scheduling.models import Appointment, HomeDayPlan

    real = route_actions.planner

    def early_start(instance):  # the first stop starts before the nurse can be there
        result = real(instance)
        route = next(r for r in result.routes if r.stops)
        first = dataclasses.replace(route.stops[0], start_min=route.stops[0].arrive_min - 30)
        bad = dataclasses.replace(route, stops=(first, *route.stops[1:]))
        return dataclasses.replace(result, routes=tuple(bad if r is route else r for r in result.routes))

    monkeypatch.setattr(route_actions, "planner", early_start)
    before = {a.pk: (a.start, a.nurse_id) for a in Appointment.objects.filter(home_visit=True)}

    with pytest.raises(BookingError, match="break a rule"):
        optimise(home_team)
    client.force_login(home_team.scheduler)
    response = client.post(
        reverse("scheduling:home_optimise"), {"date": home_team.day.isoformat()}, follow=True
    )

    assert "nothing was saved" in response.content.decode()
    assert not HomeDayPlan.objects.exists()
    assert {a.pk: (a.start, a.nurse_id) for a in Appointment.objects.filter(home_visit=True)} == before


def test_it_leaves_out_a_visit_whose_home_has_no_coordinates_and_says_why(home_team, client):
    from django.urls import reverse

    from ivig.patients.models import Patient

    Patient.objects.filter(pk=home_team.visits[3].patient_id).update(home_latitude=None, home_longitude=None)

    plan = optimise(home_team)
    client.force_login(home_team.scheduler)
    page = client.get(reverse("scheduling:home_day"), {"date": home_team.day.isoformat()}).content.decode()

    assert [u["appointment"] for u in plan.unassigned] == [home_team.visits[3].pk]
    assert "no coordinates" in page


def test_it_keeps_a_window_the_scheduler_sets(home_team):
    from ivig.scheduling.day import minutes_of
    from ivig.scheduling.route_actions import set_visit_window

    set_visit_window(
        by=home_team.scheduler,
        appointment=home_team.visits[0],
        earliest=time(14),
        latest=time(14, 30),
        needs_paediatric=False,
        needs_scig_teaching=False,
    )

    optimise(home_team)

    stop = stops_of(home_team.day)[home_team.visits[0].pk]
    assert 14 * 60 <= minutes_of(stop.start) <= 14 * 60 + 30


def test_it_does_not_plan_a_past_day(home_team):
    from ivig.scheduling.day import BookingError
    from ivig.scheduling.route_actions import optimise_home_day

    with pytest.raises(BookingError, match="has passed"):
        optimise_home_day(by=home_team.scheduler, day=home_team.day - timedelta(days=2))


def test_it_asks_to_withdraw_a_confirmation_that_can_no_longer_be_kept(home_team):
    from ivig.scheduling.day import BookingError, at
    from ivig.scheduling.models import Appointment, HomeDayPlan, NurseShift
    from ivig.scheduling.route_actions import confirm_visit

    visit = home_team.visits[0]
    confirm_visit(by=home_team.scheduler, appointment=visit)
    # Her shift now ends before the confirmed visit could be over.
    start = Appointment.objects.get(pk=visit.pk).start
    assert start == at(home_team.day, 7 * 60)
    NurseShift.objects.filter(nurse=visit.nurse, day=home_team.day).update(start=time(9), end=time(18))

    with pytest.raises(BookingError, match="withdraw its confirmation"):
        optimise(home_team)
    assert not HomeDayPlan.objects.exists()

"""The infusion worklist lists the sessions still open and those opened or discharged today (the local
day), not the closed ones of other days."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ivig import clock
from ivig.infusions import actions, worklist
from ivig.infusions.models import InfusionSession
from ivig.patients.models import Patient

pytestmark = pytest.mark.django_db


def test_it_lists_the_open_sessions_and_those_opened_or_discharged_today(make_user, make_dispensed_order):
    nurse = make_user("Nurse", username="rn-day")
    now = clock.now()
    today = clock.localdate()

    def session(created_days_ago, discharged_days_ago=None):
        started = actions.start_session(by=nurse, order=make_dispensed_order(), setting="centre")
        changes = {"created_at": now - timedelta(days=created_days_ago)}
        if discharged_days_ago is not None:
            changes |= {
                "status": InfusionSession.Status.COMPLETED,
                "discharged_at": now - timedelta(days=discharged_days_ago),
                "discharged_by": nurse,
            }
        InfusionSession.objects.filter(pk=started.pk).update(**changes)
        return started.pk

    open_old = session(created_days_ago=3)
    opened_today = session(created_days_ago=0, discharged_days_ago=0)
    discharged_today = session(created_days_ago=1, discharged_days_ago=0)
    closed_before = session(created_days_ago=2, discharged_days_ago=2)

    listed = {s.pk for s in worklist.todays_sessions(Patient.objects.all(), today)}

    assert listed == {open_old, opened_today, discharged_today}
    assert closed_before not in listed

"""A small centre for the scheduling tests: two chairs and two nurses on shift for the next four days."""

from __future__ import annotations

from datetime import date, time, timedelta
from types import SimpleNamespace
from typing import Any

import pytest


@pytest.fixture
def centre(db: None, make_user: Any, settings: Any) -> Any:
    from ivig.scheduling.models import CentreHours
    from tests.factories.scheduling import ChairFactory, NurseShiftFactory

    settings.IVIG_SCHEDULING_TIME_LIMIT_S = 1.0
    hours = CentreHours.load()
    hours.day_start, hours.day_end, hours.max_overtime_min = time(8, 0), time(18, 0), 60
    hours.save()
    day = date.today() + timedelta(days=1)
    chairs = [ChairFactory(name="Chair 1", paediatric=True), ChairFactory(name="Chair 2", bed=True)]
    nurses = [make_user("Nurse", username="nurse1"), make_user("Nurse", username="nurse2")]
    for offset in range(4):
        for nurse in nurses:
            NurseShiftFactory(nurse=nurse, day=day + timedelta(days=offset), max_watching=2)
    return SimpleNamespace(day=day, chairs=chairs, nurses=nurses, scheduler=make_user("Scheduler"))


def day_violations(day: date) -> list[str]:
    from ivig.clinical.scheduling import check_schedule
    from ivig.scheduling.day import day_state

    state = day_state(day)
    return [str(v) for v in check_schedule(state.instance, state.booked)]

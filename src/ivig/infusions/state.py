"""What the flowsheet shows now: the step, the pump rate, time to the next step, vital-sign checks, volume,
and a reaction that holds the rate (no next step while it is open).

Read-only; everything comes from the server's records and clock, so every device shows the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ivig import clock
from ivig.clinical.infusion.monitoring import CheckStatus, schedule, statuses
from ivig.clinical.infusion.step_up import StepUpCheck
from ivig.clinical.infusion.titration import PlannedRate, check_rate, next_step_at
from ivig.infusions import config
from ivig.infusions.models import InfusionSession, RateSegment
from ivig.infusions.pump import active_steps, current_segment, given_ml, step_up_now, vials_missing
from ivig.siteconfig.monitoring import monitoring_settings


@dataclass
class Titration:
    segment: RateSegment | None
    step_number: int
    step_count: int
    current: PlannedRate
    following: PlannedRate | None
    next_at: datetime | None
    minutes_to_next: float | None
    step_overdue: bool
    given_ml: float
    remaining_ml: float
    ceiling_ml_per_h: float
    mg_per_kg_per_min: float | None


@dataclass
class Flowsheet:
    session: InfusionSession
    now: datetime
    titration: Titration | None
    checks: list[CheckStatus]
    vials_missing: list[str]
    next_due: CheckStatus | None
    reactions: list[Any] = field(default_factory=list)
    step_up: StepUpCheck | None = None  # while the pump runs or is paused

    @property
    def held(self) -> StepUpCheck | None:
        """The refusal when a reaction keeps the rate from going up, else None."""
        return self.step_up if self.step_up is not None and not self.step_up.allowed else None


def increase_times(session: InfusionSession, titration: Titration | None) -> list[datetime]:
    times = [s.started_at for s in session.segments.filter(kind=RateSegment.Kind.INCREASE)]
    if (
        titration is not None
        and titration.next_at is not None
        and session.status == InfusionSession.Status.RUNNING
    ):
        times.append(titration.next_at)
    return times


def _titration(session: InfusionSession, now: datetime, held: bool = False) -> Titration | None:
    if session.status not in (
        InfusionSession.Status.RUNNING,
        InfusionSession.Status.PAUSED,
        InfusionSession.Status.READY,
    ):
        return None
    steps = active_steps(session)
    index = min(session.active_step_index, len(steps) - 1)
    segment = current_segment(session)
    given = given_ml(session, now)
    basis = config.rate_basis(session)
    next_at = None
    # While a reaction holds the rate there is no next step to count down to, nor its vital-sign check.
    if segment is not None and session.status == InfusionSession.Status.RUNNING and not held:
        step_start = _step_started(session, segment)
        next_at = next_step_at(steps, index, step_start)
    minutes = None if next_at is None else (next_at - now).total_seconds() / 60
    rate = None if segment is None else float(segment.rate_ml_per_h)
    return Titration(
        segment=segment,
        step_number=index + 1,
        step_count=len(steps),
        current=steps[index],
        following=steps[index + 1] if index + 1 < len(steps) else None,
        next_at=next_at,
        minutes_to_next=minutes,
        step_overdue=minutes is not None and minutes < 0,
        given_ml=given,
        remaining_ml=max(float(session.volume_planned_ml) - given, 0.0),
        ceiling_ml_per_h=basis.ceiling_ml_per_h,
        mg_per_kg_per_min=None if not rate else check_rate(basis, rate).rate_mg_per_kg_per_min,
    )


def _step_started(session: InfusionSession, segment: RateSegment) -> datetime:
    """A step's clock starts when its rate started (a hold restarts it)."""
    return segment.started_at


def planned_end(session: InfusionSession, titration: Titration | None, now: datetime) -> datetime | None:
    if titration is None or titration.segment is None or session.status != InfusionSession.Status.RUNNING:
        return None
    rate = float(titration.segment.rate_ml_per_h)
    return None if rate <= 0 else now + timedelta(hours=titration.remaining_ml / rate)


def flowsheet(session: InfusionSession) -> Flowsheet:
    now = clock.now()
    step_up = step_up_now(session, now) if session.status in InfusionSession.PUMPING else None
    titration = _titration(session, now, held=step_up is not None and not step_up.allowed)
    settings = monitoring_settings()
    checks = schedule(
        settings,
        started_at=session.started_at,
        increase_times=increase_times(session, titration),
        ended_at=session.ended_at,
        planned_end_at=planned_end(session, titration, now),
        first_or_switch_or_gap=session.first_or_switch_or_gap,
    )
    readings = [v.taken_at for v in session.vitals.all()]
    found = statuses(settings, checks, readings, now)
    open_checks = [c for c in found if c.state.value != "done"]
    return Flowsheet(
        session=session,
        now=now,
        titration=titration,
        checks=found,
        vials_missing=vials_missing(session),
        next_due=open_checks[0] if open_checks else None,
        reactions=list(session.reactions.prefetch_related("actions").select_related("adverse_event")),
        step_up=step_up,
    )

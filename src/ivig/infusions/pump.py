"""Pump changes, each confirmed by the nurse with the actual time and rate: start, step, lower, hold, pause,
resume, end. The clinical core checks every rate against the plan's ceiling (the label maximum or a risk cap).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ivig import clock
from ivig.clinical.infusion.day_vials import day_needs, still_needed
from ivig.clinical.infusion.reactions import InfusionAction
from ivig.clinical.infusion.step_up import ReactionSoFar, StepUpCheck, step_up_check
from ivig.clinical.infusion.titration import PlannedRate, check_rate, plan_resume
from ivig.clinical.infusion.volume import RateSegment as CoreSegment
from ivig.clinical.infusion.volume import volume_given_ml
from ivig.infusions import config
from ivig.infusions.actions import mark_order_in_progress
from ivig.infusions.events import InfusionError, check_time, check_version, lock_session, log
from ivig.infusions.identity import require_identity
from ivig.infusions.models import InfusionSession, RateSegment, Reaction
from ivig.infusions.scanning import scanned_today

if TYPE_CHECKING:
    from ivig.accounts.models import User

_SAME_RATE = Decimal("0.005")
Status = InfusionSession.Status


def active_steps(session: InfusionSession) -> list[PlannedRate]:
    return [
        PlannedRate(
            float(s["rate_ml_per_h"]),
            None if s["duration_min"] is None else float(s["duration_min"]),
            float(s["rate_mg_per_kg_per_min"]),
        )
        for s in session.active_steps
    ]


def current_segment(session: InfusionSession) -> RateSegment | None:
    return session.segments.filter(ended_at__isnull=True).order_by("-started_at", "-id").first()


def core_segments(session: InfusionSession) -> list[CoreSegment]:
    return [CoreSegment(s.started_at, s.ended_at, float(s.rate_ml_per_h)) for s in session.segments.all()]


def given_ml(session: InfusionSession, until: datetime) -> float:
    return volume_given_ml(core_segments(session), until)


def vials_missing(session: InfusionSession) -> list[str]:
    """Vial sizes of the day's plan not yet covered by accepted scans."""
    missing = still_needed(day_needs(session.plan_day.get("vials", [])), scanned_today(session))
    return [f"{count} × {size:f} g" for size, count in missing.items()]


def reactions_so_far(session: InfusionSession, at: datetime) -> list[ReactionSoFar]:
    """This infusion's reactions as they stood at `at`, for the core's step-up rule."""
    return [
        ReactionSoFar(
            grade=reaction.grade,
            onset_at=timezone.localtime(reaction.onset_at),
            action=InfusionAction(reaction.guidance.get("action", InfusionAction.STOP.value)),
            headline=str(reaction.guidance.get("headline", "")),
            may_resume=bool(reaction.guidance.get("may_resume", False)),
            settled=reaction.settled_at is not None and reaction.settled_at <= at,
            restarted_on_plan=bool((reaction.resume_plan or {}).get("resumed_at")),
        )
        for reaction in session.reactions.filter(onset_at__lte=at)
    ]


def step_up_now(session: InfusionSession, at: datetime) -> StepUpCheck:
    return step_up_check(reactions_so_far(session, at))


def _checked_rate(session: InfusionSession, rate: Decimal) -> None:
    result = check_rate(config.rate_basis(session), float(rate))
    if not result.allowed:
        raise InfusionError(result.message)


def _open(
    session: InfusionSession,
    kind: str,
    at: datetime,
    rate: Decimal,
    planned: float | None,
    reason: str,
    by: User,
) -> RateSegment:
    previous = current_segment(session)
    if previous is not None:
        previous.ended_at = at
        previous.save(update_fields=["ended_at"])
    return RateSegment.objects.create(
        session=session,
        kind=kind,
        started_at=at,
        rate_ml_per_h=rate,
        planned_rate_ml_per_h=None if planned is None else Decimal(str(planned)),
        reason=reason.strip()[:300],
        recorded_by=by,
    )


# Each pump step after the start: the states it starts from, the refusal otherwise, what its time is called.
_STEPS = {
    "rate": (
        (Status.RUNNING,),
        "The pump is not running: resume or start it first.",
        "The time of the change",
    ),
    "pause": ((Status.RUNNING,), "The pump is not running.", "The pause time"),
    "resume": ((Status.PAUSED,), "The pump is not paused.", "The restart time"),
    "end": ((Status.RUNNING, Status.PAUSED), "The infusion is not running.", "The end time"),
}


def _locked_pump(
    session: InfusionSession, expected_version: int | None, at: datetime, step: str
) -> tuple[InfusionSession, RateSegment]:
    """Lock the session and check its version, that the pump can take this `step` now, and that `at` is not
    before the current segment began; return the locked session and that segment."""
    states, refusal, what = _STEPS[step]
    session = lock_session(session)
    check_version(session, expected_version)
    if session.status not in states:
        raise InfusionError(refusal)
    current = current_segment(session)
    assert current is not None
    check_time(at, not_before=current.started_at, what=what)
    return session, current


@transaction.atomic
def start_infusion(
    *,
    by: User,
    session: InfusionSession,
    expected_version: int | None,
    at: datetime,
    rate_ml_per_h: Decimal,
    reason: str = "",
) -> RateSegment:
    session = lock_session(session)
    check_version(session, expected_version)
    if session.status != Status.READY:
        raise InfusionError(
            "Confirm the pre-infusion checklist before starting."
            if session.status == Status.CHECKLIST
            else "The infusion has already started."
        )
    require_identity(session)
    if not day_needs(session.plan_day.get("vials", [])):
        raise InfusionError(
            f"The verified plan lists no vials for day {session.day_number}: ask the pharmacy before "
            "starting."
        )
    missing = vials_missing(session)
    if missing:
        raise InfusionError("Scan every vial before starting: still needed " + ", ".join(missing) + ".")
    check_time(at, not_before=session.checklist_at, what="The start time")
    _checked_rate(session, rate_ml_per_h)
    first = active_steps(session)[0]
    if abs(rate_ml_per_h - Decimal(str(first.rate_ml_per_h))) > _SAME_RATE and not reason.strip():
        raise InfusionError(
            f"The plan starts at {first.rate_ml_per_h:g} mL/h: give a reason to start at {rate_ml_per_h:g}."
        )
    segment = _open(session, RateSegment.Kind.START, at, rate_ml_per_h, first.rate_ml_per_h, reason, by)
    session.status, session.started_by, session.started_at, session.active_step_index = (
        Status.RUNNING,
        by,
        at,
        0,
    )
    session.save(update_fields=["status", "started_by", "started_at", "active_step_index"])
    log(
        session,
        "pump_start",
        f"infusion started at {rate_ml_per_h:g} mL/h" + (f" ({reason.strip()})" if reason.strip() else ""),
        by=by,
        at=at,
    )
    mark_order_in_progress(by, session.order)
    return segment


@transaction.atomic
def change_rate(
    *,
    by: User,
    session: InfusionSession,
    expected_version: int | None,
    at: datetime,
    rate_ml_per_h: Decimal,
    reason: str = "",
) -> RateSegment:
    """Step up, lower or hold. Above the ceiling is refused; off the plan's next step needs a reason."""
    session, current = _locked_pump(session, expected_version, at, "rate")
    _checked_rate(session, rate_ml_per_h)
    steps = active_steps(session)
    index = session.active_step_index
    following = steps[index + 1] if index + 1 < len(steps) else None
    reason = reason.strip()
    step_due = (
        None
        if steps[index].duration_min is None
        else current.started_at + timedelta(minutes=steps[index].duration_min or 0)
    )
    if rate_ml_per_h > current.rate_ml_per_h + _SAME_RATE:
        kind = RateSegment.Kind.INCREASE
        # A hard stop, before the plan's reason rules: no written reason raises the rate in a reaction.
        held = step_up_now(session, at)
        if not held.allowed:
            raise InfusionError(held.message)
        on_plan = (
            following is not None and abs(rate_ml_per_h - Decimal(str(following.rate_ml_per_h))) <= _SAME_RATE
        )
        early = step_due is not None and at < step_due - timedelta(minutes=1)
        if not on_plan and not reason:
            planned = (
                f"the plan's next step is {following.rate_ml_per_h:g} mL/h"
                if following
                else "the plan has no higher step"
            )
            raise InfusionError(
                f"{rate_ml_per_h:g} mL/h is not the plan's next rate ({planned}): give a reason."
            )
        if early and not reason:
            raise InfusionError(
                f"The next step is due at {timezone.localtime(step_due):%H:%M}: give a reason to step up "
                "early."
            )
        _require_recent_vitals(session, at)
    elif rate_ml_per_h < current.rate_ml_per_h - _SAME_RATE:
        kind = RateSegment.Kind.DECREASE
        if not reason:
            raise InfusionError("Give the reason for lowering the rate.")
    else:
        kind = RateSegment.Kind.HOLD
        if not reason:
            raise InfusionError("Give the reason for holding at this rate.")
    segment = _open(
        session, kind, at, rate_ml_per_h, following.rate_ml_per_h if following else None, reason, by
    )
    session.active_step_index = max(
        (i for i, s in enumerate(steps) if s.rate_ml_per_h <= float(rate_ml_per_h) + float(_SAME_RATE)),
        default=0,
    )
    session.save(update_fields=["active_step_index"])
    words = {
        RateSegment.Kind.INCREASE: "stepped up",
        RateSegment.Kind.DECREASE: "lowered",
        RateSegment.Kind.HOLD: "held",
    }[kind]
    log(
        session,
        f"rate_{kind}",
        f"rate {words} to {rate_ml_per_h:g} mL/h" + (f": {reason}" if reason else ""),
        by=by,
        at=at,
        before={"rate_ml_per_h": current.rate_ml_per_h},
        after={"rate_ml_per_h": rate_ml_per_h},
    )
    return segment


def _require_recent_vitals(session: InfusionSession, at: datetime) -> None:
    if not settings.IVIG_VITALS_BEFORE_INCREASE:
        return
    window = timedelta(minutes=settings.IVIG_VITALS_EARLY_MIN)
    if not session.vitals.filter(taken_at__gte=at - window, taken_at__lte=at + timedelta(minutes=1)).exists():
        raise InfusionError(
            f"Take vital signs before increasing the rate (none in the "
            f"{settings.IVIG_VITALS_EARLY_MIN:g} min "
            "before)."
        )


@transaction.atomic
def pause(
    *, by: User, session: InfusionSession, expected_version: int | None, at: datetime, reason: str
) -> RateSegment:
    session, current = _locked_pump(session, expected_version, at, "pause")
    if not reason.strip():
        raise InfusionError("Give the reason for pausing.")
    segment = _open(session, RateSegment.Kind.PAUSE, at, Decimal(0), None, reason, by)
    session.status = Status.PAUSED
    session.save(update_fields=["status"])
    log(session, "pump_pause", f"paused (was {current.rate_ml_per_h:g} mL/h): {reason.strip()}", by=by, at=at)
    return segment


def resume_plan_for(
    session: InfusionSession, reaction: Reaction, chosen_rate: float | None = None
) -> dict[str, Any]:
    """The core's resume plan after this reaction, as stored on the reaction."""
    until = reaction.onset_at
    given_rates = [
        float(s.rate_ml_per_h) for s in session.segments.filter(started_at__lt=until, rate_ml_per_h__gt=0)
    ]
    pause_start = session.segments.filter(ended_at__isnull=True).first()
    remaining = float(session.volume_planned_ml) - given_ml(
        session, pause_start.started_at if pause_start else clock.now()
    )
    plan = plan_resume(
        active_steps(session) if not session.plan_day else _plan_steps(session),
        config.rate_basis(session),
        reaction_rate_ml_per_h=float(reaction.rate_at_onset_ml_per_h),
        given_rates_ml_per_h=given_rates,
        remaining_ml=remaining,
        chosen_rate_ml_per_h=chosen_rate,
    )
    return {
        "resume_rate_ml_per_h": plan.resume_rate_ml_per_h,
        "steps": [
            {
                "rate_ml_per_h": s.rate_ml_per_h,
                "duration_min": s.duration_min,
                "rate_mg_per_kg_per_min": s.rate_mg_per_kg_per_min,
            }
            for s in plan.steps
        ],
        "message": plan.message,
        "source": plan.source,
        "remaining_ml": round(remaining, 2),
    }


def _plan_steps(session: InfusionSession) -> list[PlannedRate]:
    from ivig.clinical.infusion.titration import steps_from_plan

    return list(steps_from_plan(session.plan_day))


@transaction.atomic
def resume(
    *,
    by: User,
    session: InfusionSession,
    expected_version: int | None,
    at: datetime,
    rate_ml_per_h: Decimal,
    reason: str = "",
) -> RateSegment:
    """Restart after a pause: after a reaction, at its resume plan's rate (lower needs a reason)."""
    session, _current = _locked_pump(session, expected_version, at, "resume")
    _checked_rate(session, rate_ml_per_h)
    reactions = list(session.reactions.filter(onset_at__lte=at).order_by("-onset_at"))
    stopped = next((r for r in reactions if not r.guidance.get("may_resume", False)), None)
    if stopped is not None:
        raise InfusionError(f"A grade {stopped.grade} reaction: the infusion must not be restarted.")
    reaction = reactions[0] if reactions else None
    reason = reason.strip()
    pumped_before = session.segments.filter(rate_ml_per_h__gt=0).order_by("-started_at").first()
    # A reaction that called for a pause restarts on its resume plan even if the rate was lowered first.
    if (
        reaction is not None
        and not (reaction.resume_plan or {}).get("resumed_at")
        and (
            reaction.onset_at >= (pumped_before.started_at if pumped_before else at)
            or reaction.guidance.get("action") != InfusionAction.CONTINUE_OR_SLOW.value
        )
    ):
        if (
            reaction.settled_at is None
            or not reaction.resume_plan
            or reaction.resume_plan.get("resume_rate_ml_per_h") is None
        ):
            raise InfusionError(
                "Record that the symptoms have settled (and the restart rate if the plan asks for one) first."
            )
        planned = Decimal(str(reaction.resume_plan["resume_rate_ml_per_h"]))
        if rate_ml_per_h > planned + _SAME_RATE:
            raise InfusionError(f"Restart at {planned:g} mL/h at most: the last tolerated rate.")
        if rate_ml_per_h < planned - _SAME_RATE and not reason:
            raise InfusionError(
                f"The resume plan restarts at {planned:g} mL/h: give a reason to restart lower."
            )
        session.active_steps = reaction.resume_plan["steps"]
        session.active_step_index = 0
        reaction.resume_plan = reaction.resume_plan | {"resumed_at": at.isoformat()}
        reaction.save(update_fields=["resume_plan"])
    elif pumped_before is not None and rate_ml_per_h > pumped_before.rate_ml_per_h + _SAME_RATE:
        raise InfusionError(
            f"Restart at {pumped_before.rate_ml_per_h:g} mL/h at most, the rate before the pause."
        )
    segment = _open(session, RateSegment.Kind.RESUME, at, rate_ml_per_h, None, reason, by)
    session.status = Status.RUNNING
    session.save(update_fields=["status", "active_steps", "active_step_index"])
    log(
        session,
        "pump_resume",
        f"restarted at {rate_ml_per_h:g} mL/h" + (f": {reason}" if reason else ""),
        by=by,
        at=at,
    )
    return segment


@transaction.atomic
def end_infusion(
    *, by: User, session: InfusionSession, expected_version: int | None, at: datetime, reason: str = ""
) -> InfusionSession:
    """Stop the pump for good: the volume given is the recorded rates times their times."""
    session, current = _locked_pump(session, expected_version, at, "end")
    current.ended_at = at
    current.save(update_fields=["ended_at"])
    given = given_ml(session, at)
    short = float(session.volume_planned_ml) - given
    reason = reason.strip()
    if -short > settings.IVIG_INFUSION_VOLUME_SLACK_ML and not reason:
        # More than the prescribed dose went in (a whole part vial, a late end time): keep it on record.
        raise InfusionError(
            f"By the recorded rates and times {given:.1f} mL went in, {-short:.1f} mL more than the "
            f"{session.volume_planned_ml:g} mL prescribed: check the times; if it is right, give the reason "
            "(it is recorded with the infusion)."
        )
    if short > settings.IVIG_INFUSION_VOLUME_SLACK_ML and not reason:
        raise InfusionError(
            f"By the recorded rates and times {given:.1f} mL of {session.volume_planned_ml:g} mL went in: "
            "give the reason "
            "for ending early, or check the times."
        )
    session.status, session.ended_by, session.ended_at = Status.ENDED, by, at
    session.volume_given_ml = Decimal(str(given)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    session.end_reason = reason[:300]
    session.save(update_fields=["status", "ended_by", "ended_at", "volume_given_ml", "end_reason"])
    log(
        session,
        "pump_end",
        f"infusion ended; {given:.1f} mL given of {session.volume_planned_ml:g} mL"
        + (f": {reason}" if reason else ""),
        by=by,
        at=at,
        after={"volume_given_ml": round(given, 2)},
    )
    return session

"""Reactions during an infusion: grade, symptoms, the core's guidance, treatments and times, and settling.

Every reaction becomes an adverse-event record linked to the patient, the order and the lots given.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction

from ivig import clock
from ivig.clinical.infusion.reactions import Grade, Symptom, guidance
from ivig.infusions.events import InfusionError, check_time, lock_session, log
from ivig.infusions.models import AdverseEvent, InfusionSession, Reaction, ReactionAction
from ivig.infusions.pump import current_segment, resume_plan_for
from ivig.infusions.signals import adverse_event_recorded

if TYPE_CHECKING:
    from ivig.accounts.models import User

OPEN = (InfusionSession.Status.RUNNING, InfusionSession.Status.PAUSED, InfusionSession.Status.ENDED)


def guidance_dict(grade: int, symptoms: list[str], anaphylaxis: bool) -> dict[str, Any]:
    advice = guidance(Grade(grade), [Symptom(s) for s in symptoms], anaphylaxis_suspected=anaphylaxis)
    return {
        "grade": int(advice.grade),
        "grade_entered": None if advice.grade_entered is None else int(advice.grade_entered),
        "action": str(advice.action),
        "headline": advice.headline,
        "steps": list(advice.steps),
        "epinephrine": advice.epinephrine,
        "call_prescriber": advice.call_prescriber,
        "may_resume": advice.may_resume,
        "brown": None if advice.brown is None else str(advice.brown),
        "sources": list(advice.sources),
    }


@transaction.atomic
def record_reaction(
    *,
    by: User,
    session: InfusionSession,
    onset_at: datetime,
    grade: int,
    symptoms: list[str],
    other_symptoms: str = "",
    anaphylaxis_suspected: bool = False,
) -> Reaction:
    session = lock_session(session)
    if session.status not in OPEN:
        raise InfusionError("Reactions are recorded once the infusion has started.")
    check_time(onset_at, not_before=session.started_at, what="The onset time")
    try:
        known = [Symptom(s).value for s in symptoms]
        grade_value = Grade(int(grade))
    except ValueError:
        raise InfusionError("Choose the symptoms and a CTCAE grade from the lists.") from None
    if not known and not other_symptoms.strip():
        raise InfusionError("Choose at least one symptom, or describe it.")
    if Symptom.OTHER.value in known and not other_symptoms.strip():
        raise InfusionError("Describe the other symptom.")
    running = session.segments.filter(started_at__lte=onset_at).order_by("-started_at", "-id").first()
    rate = running.rate_ml_per_h if running is not None else Decimal(0)
    if rate == 0:
        earlier = (
            session.segments.filter(started_at__lte=onset_at, rate_ml_per_h__gt=0)
            .order_by("-started_at")
            .first()
        )
        rate = earlier.rate_ml_per_h if earlier is not None else Decimal(0)
    advice = guidance_dict(grade_value, known, anaphylaxis_suspected)
    # Anaphylaxis from the symptoms raises the grade entered: the record and the report carry the raised one.
    grade_value = Grade(advice["grade"])
    reaction = Reaction.objects.create(
        session=session,
        onset_at=onset_at,
        symptoms=known,
        other_symptoms=other_symptoms.strip()[:200],
        grade=grade_value,
        anaphylaxis_suspected=anaphylaxis_suspected,
        rate_at_onset_ml_per_h=rate,
        guidance=advice,
        recorded_by=by,
    )
    described = ", ".join(reaction.symptom_labels())
    event = AdverseEvent.objects.create(
        patient=session.patient,
        order=session.order,
        session=session,
        reaction=reaction,
        onset_at=onset_at,
        grade=grade_value,
        description=f"Infusion reaction grade {grade_value}: {described}"[:500],
        serious=grade_value >= Grade.SEVERE or advice["epinephrine"],
        reported_by=by,
        reported_at=clock.now(),
    )
    event.lots.set(
        {scan.lot for scan in session.scans.filter(accepted=True).select_related("lot") if scan.lot}
    )
    adverse_event_recorded.send(sender=AdverseEvent, event=event, by=by)
    log(
        session,
        "reaction",
        f"grade {grade_value} reaction at {rate:g} mL/h: {described}. Guidance: {advice['headline']}"
        + (f" (grade {advice['grade_entered']} entered)" if advice["grade_entered"] else ""),
        by=by,
        at=onset_at,
        after={
            "reaction_id": reaction.pk,
            "adverse_event_id": event.pk,
            "grade": int(grade_value),
            "grade_entered": advice["grade_entered"],
            "symptoms": known,
        },
    )
    return reaction


@transaction.atomic
def add_reaction_action(*, by: User, reaction: Reaction, at: datetime, description: str) -> ReactionAction:
    session = lock_session(reaction.session)
    check_time(at, not_before=reaction.onset_at, what="The time of the treatment")
    if not description.strip():
        raise InfusionError("Describe the treatment or action taken.")
    action = ReactionAction.objects.create(
        reaction=reaction, at=at, description=description.strip()[:300], recorded_by=by
    )
    log(
        session,
        "reaction_action",
        f"for the grade {reaction.grade} reaction: {action.description}",
        by=by,
        at=at,
    )
    return action


@transaction.atomic
def settle_reaction(
    *, by: User, reaction: Reaction, at: datetime, chosen_rate_ml_per_h: Decimal | None = None
) -> Reaction:
    """The symptoms have settled: compute the plan to resume (last tolerated rate, then stepping again)."""
    session = lock_session(reaction.session)
    reaction = Reaction.objects.select_for_update().get(pk=reaction.pk)
    check_time(at, not_before=reaction.onset_at, what="The time the symptoms settled")
    if (
        reaction.settled_at is not None
        and reaction.resume_plan
        and reaction.resume_plan.get("resume_rate_ml_per_h")
    ):
        raise InfusionError("This reaction is already recorded as settled.")
    reaction.settled_by, reaction.settled_at = by, at
    summary = "symptoms settled"
    if session.status == InfusionSession.Status.PAUSED and reaction.guidance.get("may_resume"):
        reaction.resume_plan = resume_plan_for(
            session, reaction, None if chosen_rate_ml_per_h is None else float(chosen_rate_ml_per_h)
        )
        summary += f"; {reaction.resume_plan['message']}"
    reaction.save(update_fields=["settled_by", "settled_at", "resume_plan"])
    log(session, "reaction_settled", f"grade {reaction.grade} reaction: {summary}", by=by, at=at)
    return reaction


def running_rate(session: InfusionSession) -> Decimal | None:
    segment = current_segment(session)
    return None if segment is None else segment.rate_ml_per_h

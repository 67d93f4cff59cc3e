"""The clinical side of the demo history (demo/history.py): reactions, diary follow-ups, lab results,
infections, disability scores and outcome reviews for the past courses.

Reactions go through the flowsheet's own action (`record_reaction`), so each one is an adverse event with
its lots, as if a nurse had recorded it; follow-ups go through the follow-up actions. The rest is written
in bulk with its past dates.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from ivig.clinical.triage import Severity, Symptom
from ivig.followup.actions import record_entry, start_follow_up
from ivig.infusions.models import InfusionSession
from ivig.infusions.reaction_actions import add_reaction_action, record_reaction, settle_reaction
from ivig.inventory.models import Lot
from ivig.orders.models import TherapyOrder
from ivig.outcomes.models import DisabilityScore, Infection, OutcomeReview
from ivig.patients.models import LabResult

if TYPE_CHECKING:
    from ivig.accounts.models import User

REACTIONS = 7  # flowsheet reactions over the year (about 4 per 100 infusions)
FOLLOW_UPS = 4  # the latest centre infusions get a diary follow-up
# Ongoing therapy whose 6-month review was recorded; the others are left for the compliance report to find.
REVIEWED_ONGOING = ("RB100004", "RB100009", "RB100013", "RB100016", "RB100017", "RB100014")
# One-off courses whose outcome was recorded.
RECORDED_COURSES = ("RB100006", "RB100002")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A moment of a past day in the site's time zone."""
    return datetime.combine(day, time(hour, minute), timezone.get_current_timezone())


@dataclass
class HistoryOrder:
    order: TherapyOrder
    setting: str
    day: date
    authorised_days_left: int | None
    plan: dict[str, Any]
    signed_at: datetime
    dispensed_at: datetime
    lots: list[Lot] = field(default_factory=list)


def load(
    orders: list[HistoryOrder],
    sessions: list[InfusionSession],
    users: dict[str, Any],
    today: date,
    rng: random.Random,
) -> None:
    nurse = users["Nurse"]
    _reactions(sessions, nurse, rng)
    _follow_ups(orders, sessions, nurse)
    _labs(orders, nurse, rng)
    _outcomes(orders, users["Prescriber"], today, rng)


def _reactions(sessions: list[InfusionSession], nurse: Any, rng: random.Random) -> None:
    chosen = rng.sample(sessions, min(REACTIONS, len(sessions)))
    grades = (1, 1, 2, 1, 2, 3, 1)
    symptoms = (
        ["chills", "headache"],
        ["flushing"],
        ["hives_or_rash", "itching"],
        ["headache"],
        ["fever", "chills"],
        ["chest_tightness", "breathlessness"],
        ["nausea_or_vomiting"],
    )
    for session, grade, named in zip(chosen, grades, symptoms, strict=False):
        InfusionSession.objects.filter(pk=session.pk).update(status=InfusionSession.Status.RUNNING)
        assert session.started_at is not None
        onset = session.started_at + timedelta(minutes=rng.randint(25, 70))
        reaction = record_reaction(by=nurse, session=session, onset_at=onset, grade=grade, symptoms=named)
        treatment = (
            "Infusion paused; cetirizine by mouth" if grade < 3 else "Infusion stopped; hydrocortisone IV"
        )
        add_reaction_action(
            by=nurse, reaction=reaction, at=onset + timedelta(minutes=5), description=treatment
        )
        settle_reaction(by=nurse, reaction=reaction, at=onset + timedelta(minutes=30))
        InfusionSession.objects.filter(pk=session.pk).update(status=InfusionSession.Status.COMPLETED)


def _follow_ups(orders: list[HistoryOrder], sessions: list[InfusionSession], nurse: Any) -> None:
    last_day = {session.order_id: session for session in sessions}  # each order's last session
    recent = sorted((o for o in orders if o.setting == "centre"), key=lambda o: o.day)[-FOLLOW_UPS:]
    for number, item in enumerate(recent):
        session = last_day[item.order.pk]
        assert session.ended_at is not None
        follow_up = start_follow_up(by=nurse, order=item.order, ended_at=session.ended_at)
        symptoms = {Symptom.HEADACHE: Severity.MILD} if number % 2 else {Symptom.TIREDNESS: Severity.MILD}
        record_entry(
            by=nurse,
            follow_up=follow_up,
            temp=Decimal("36.9"),
            temp_unit="C",
            symptoms=symptoms,
            notes="Phoned in by the family",
            recorded_at=session.ended_at + timedelta(hours=24),
        )


def _labs(orders: list[HistoryOrder], nurse: Any, rng: random.Random) -> None:
    """IgG troughs before each replacement course; platelet counts around each ITP course."""
    rows = []
    for item in orders:
        patient, regimen = item.order.patient, item.order.regimen
        if regimen in ("pi", "sid"):
            trough = Decimal(rng.randint(62, 95)) / 10
            rows.append(
                LabResult(patient=patient, kind="igg", value=trough, taken_on=item.day, recorded_by=nurse)
            )
        elif regimen == "itp":
            for offset, count in ((-1, rng.randint(8, 19)), (3, 46), (7, 128), (14, 205), (28, 176)):
                rows.append(
                    LabResult(
                        patient=patient,
                        kind="platelets",
                        value=Decimal(count),
                        taken_on=item.day + timedelta(days=offset),
                        recorded_by=nurse,
                    )
                )
    LabResult.objects.bulk_create(rows)


def _outcomes(orders: list[HistoryOrder], prescriber: Any, today: date, rng: random.Random) -> None:
    first: dict[tuple[int, str], HistoryOrder] = {}
    for item in sorted(orders, key=lambda o: o.day):
        first.setdefault((item.order.patient_id, item.order.regimen), item)
    reviews, infections, scores = [], [], []
    for (_patient_id, regimen), item in first.items():
        patient, indication = item.order.patient, item.order.indication
        if patient.mrn in REVIEWED_ONGOING and item.order.repeat_interval_weeks:
            day = item.day + timedelta(days=rng.randint(170, 200))
            if day < today:
                reviews.append(_review(patient, indication, day, "effective", "continue", prescriber))
        if patient.mrn in RECORDED_COURSES and not item.order.repeat_interval_weeks:
            day = item.day + timedelta(days=30)
            reviews.append(_review(patient, indication, day, "effective", "course_done", prescriber))
        if regimen in ("pi", "sid"):
            for months in rng.sample(range(1, 11), 2):
                onset = item.day + timedelta(days=30 * months)
                if onset < today:
                    kind = rng.choice(("Sinusitis", "Otitis media", "Bronchitis"))
                    infections.append(
                        Infection(
                            patient=patient,
                            onset=onset,
                            kind=kind,
                            serious_bacterial=False,
                            antibiotic_days=7,
                            recorded_by=prescriber,
                        )
                    )
        if indication in ("cidp", "mmn"):
            for quarter in range(4):
                day = item.day + timedelta(days=90 * quarter + 7)
                if day < today:
                    scores.append(
                        DisabilityScore(
                            patient=patient,
                            indication=indication,
                            assessed_on=day,
                            incat_arm=max(0, 2 - quarter // 2),
                            incat_leg=1,
                            grip_right_kg=Decimal(28 + quarter),
                            grip_left_kg=Decimal(25 + quarter),
                            recorded_by=prescriber,
                        )
                    )
    if orders:
        pi_patient = next((o.order.patient for o in orders if o.order.regimen == "pi"), None)
        if pi_patient is not None:
            infections.append(
                Infection(
                    patient=pi_patient,
                    onset=today - timedelta(days=120),
                    kind="Pneumonia",
                    serious_bacterial=True,
                    antibiotic_days=10,
                    hospital_days=4,
                    recorded_by=prescriber,
                )
            )
    OutcomeReview.objects.bulk_create(reviews)
    Infection.objects.bulk_create(infections)
    DisabilityScore.objects.bulk_create(scores)


def _review(patient: Any, indication: str, day: date, outcome: str, decision: str, by: User) -> OutcomeReview:
    return OutcomeReview(
        patient=patient,
        indication=indication,
        reviewed_on=day,
        outcome=outcome,
        decision=decision,
        notes="Demo history review",
        recorded_by=by,
    )

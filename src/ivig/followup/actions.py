"""Write the follow-up: start it, record diary entries, record care-team contacts and confirmed reactions.

Each function is one transaction, takes keyword-only arguments and leaves an audit event. `start_follow_up` is
the public entry point the infusion flowsheet calls when an infusion is completed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ivig import clock
from ivig.accounts.roles import VIEW_FOLLOWUP_WORKLIST, VIEW_OWN_RECORD
from ivig.audit.events import record
from ivig.clinical.triage import Severity, Symptom, triage
from ivig.followup.models import Contact, DiaryEntry, DiaryReaction, FollowUp
from ivig.followup.signals import diary_reaction_confirmed
from ivig.lib.refusals import ActionRefused
from ivig.orders.models import TherapyOrder
from ivig.patients.models import Patient, PatientQuerySet

if TYPE_CHECKING:
    from ivig.accounts.models import User


class FollowUpError(ActionRefused):
    """A follow-up write was refused; nothing was saved."""


# Orders whose product has reached the patient: an infusion can only have ended for these.
FOLLOWABLE_STATUSES = (
    TherapyOrder.Status.DISPENSED,
    TherapyOrder.Status.IN_PROGRESS,
    TherapyOrder.Status.COMPLETED,
)


@transaction.atomic
def start_follow_up(*, by: User, order: TherapyOrder, ended_at: datetime) -> FollowUp:
    """Start the 72-hour follow-up of the infusion of `order` that ended at `ended_at`.

    Safe to call again for the same infusion: it returns the follow-up already started.
    """
    if timezone.is_naive(ended_at):
        raise ValueError("ended_at must be timezone-aware")
    if order.status not in FOLLOWABLE_STATUSES:
        raise FollowUpError("A follow-up starts only after the order has been dispensed.")
    if ended_at > clock.now() + timedelta(minutes=5):
        raise FollowUpError("The infusion cannot have ended in the future.")
    existing = FollowUp.objects.filter(order=order, ended_at=ended_at).first()
    if existing is not None:
        return existing
    follow_up = FollowUp.objects.create(patient=order.patient, order=order, ended_at=ended_at, started_by=by)
    record(
        action="followup.start",
        by=by,
        target=follow_up,
        patient=order.patient,
        summary=f"72-hour follow-up started (infusion ended {timezone.localtime(ended_at):%Y-%m-%d %H:%M})",
        after={"order_id": order.pk, "ended_at": ended_at.isoformat()},
    )
    return follow_up


def _temp_c(value: Decimal | None, unit: str) -> Decimal | None:
    if value is None:
        return None
    celsius = (value - 32) * 5 / 9 if unit == "F" else value
    return celsius.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# Two tabs, or a second device, sending the same entry this soon: the same report, kept once.
DUPLICATE_WINDOW = timedelta(minutes=10)


class DuplicateEntry(FollowUpError):
    """The same entry was recorded a moment ago; `entry` is that one."""

    def __init__(self, entry: DiaryEntry) -> None:
        super().__init__("This entry was already recorded.")
        self.entry = entry


def _same_entry(
    follow_up: FollowUp, recorded_at: datetime, temp_c: Decimal | None, symptoms: dict[str, int], notes: str
) -> DiaryEntry | None:
    recent = follow_up.entries.filter(
        recorded_at__gte=recorded_at - DUPLICATE_WINDOW, recorded_at__lte=recorded_at + DUPLICATE_WINDOW
    )
    for entry in recent.order_by("-recorded_at"):
        if entry.temp_c == temp_c and entry.symptoms == symptoms and entry.notes.strip() == notes.strip():
            return entry
    return None


class DiaryRefused(FollowUpError):
    """This diary takes no entry: its follow-up is closed, or the user may not write in it."""


def diary_patients(user: Any) -> PatientQuerySet:
    """The patients whose after-infusion diaries `user` may read and write in.

    The follow-up team (the worklist permission: Nurse, Quality, Admin) reaches every patient it may see; a
    portal account only the patients linked to it; every other role (scheduler, approver, pharmacist,
    prescriber) no one: a diary entry is triaged and can send the care team calling (issue 22).
    """
    if not user.is_authenticated or not user.is_active:
        return Patient.objects.none()
    if user.has_perm(VIEW_FOLLOWUP_WORKLIST):
        return Patient.objects.visible_to(user)
    if user.has_perm(VIEW_OWN_RECORD):
        return Patient.objects.linked_to(user)
    return Patient.objects.none()


@transaction.atomic
def record_entry(
    *,
    by: User,
    follow_up: FollowUp,
    temp: Decimal | None,
    temp_unit: str,
    symptoms: dict[Symptom, Severity],
    notes: str = "",
    recorded_at: datetime | None = None,
) -> DiaryEntry:
    """Record a diary entry and triage it with the clinical core.

    An empty entry is refused (it would count as a diary filled in); the same entry again within
    `DUPLICATE_WINDOW` raises `DuplicateEntry` with the one already kept. A user who may not keep this
    patient's diary, or an entry at or after the end of the follow-up (it is closed: no one triages it any
    more), is refused with `DiaryRefused`."""
    if not diary_patients(by).filter(pk=follow_up.patient_id).exists():
        raise DiaryRefused(_("You cannot write in this diary."))
    recorded_at = recorded_at or clock.now()
    if not follow_up.is_open(recorded_at):
        raise DiaryRefused(
            _(
                "This follow-up closed 72 hours after the infusion and takes no more entries. "
                "If you are worried now, call the care team."
            )
        )
    if temp_unit not in ("C", "F"):
        raise ValueError(f"unknown temperature unit {temp_unit!r}")
    if temp is None and not symptoms and not notes.strip():
        raise FollowUpError("An empty diary entry cannot be recorded.")
    temp_c = _temp_c(temp, temp_unit)
    FollowUp.objects.select_for_update().filter(pk=follow_up.pk).first()  # one entry at a time per diary
    coded = {symptom.value: int(severity) for symptom, severity in symptoms.items()}
    same = _same_entry(follow_up, recorded_at, temp_c, coded, notes)
    if same is not None:
        raise DuplicateEntry(same)
    try:
        result = triage(temp_c=None if temp_c is None else float(temp_c), symptoms=symptoms)
    except ValueError as error:
        raise FollowUpError("That temperature is not possible. Please check the number.") from error
    entry = DiaryEntry.objects.create(
        follow_up=follow_up,
        recorded_at=recorded_at,
        recorded_by=by,
        temp_c=temp_c,
        temp_entered="" if temp is None else f"{temp.normalize():f} {temp_unit}",
        symptoms=coded,
        notes=notes,
        level=int(result.level),
        rule_codes=list(result.rule_codes),
    )
    record(
        action="followup.diary_entry",
        by=by,
        target=entry,
        patient=follow_up.patient,
        summary=f"Diary entry at {follow_up.hours_after(recorded_at):.0f} h: {result.level.code}",
        after={"temp_c": temp_c, "symptoms": entry.symptoms, "level": entry.level, "rules": entry.rule_codes},
    )
    return entry


@transaction.atomic
def record_contact(
    *,
    by: User,
    follow_up: FollowUp,
    entry: DiaryEntry | None,
    outcome: str,
    notes: str,
    reaction_description: str = "",
    reaction_grade: int | None = None,
) -> Contact:
    """Record a call to the family. A confirmed reaction becomes a DiaryReaction linked to the lots."""
    if outcome not in Contact.Outcome.values:
        raise FollowUpError("Choose an outcome.")
    if entry is not None and entry.follow_up_id != follow_up.pk:
        raise FollowUpError("That diary entry belongs to another follow-up.")
    confirming = outcome == Contact.Outcome.REACTION
    if confirming and (not reaction_description.strip() or reaction_grade not in DiaryReaction.Grade.values):
        raise FollowUpError("A confirmed reaction needs a description and a grade.")
    now = clock.now()
    contact = Contact.objects.create(
        follow_up=follow_up, entry=entry, contacted_by=by, contacted_at=now, outcome=outcome, notes=notes
    )
    if entry is not None and entry.reviewed_at is None and outcome != Contact.Outcome.NO_ANSWER:
        entry.reviewed_by, entry.reviewed_at = by, now
        entry.save(update_fields=["reviewed_by", "reviewed_at"])
    after: dict[str, Any] = {"outcome": outcome, "entry_id": entry.pk if entry else None}
    if confirming:
        assert reaction_grade is not None
        reaction = DiaryReaction.objects.create(
            follow_up=follow_up,
            order=follow_up.order,
            contact=contact,
            description=reaction_description.strip(),
            grade=reaction_grade,
            onset_at=entry.recorded_at if entry else now,
            confirmed_by=by,
            confirmed_at=now,
        )
        lots = list(follow_up.order.dispensed_lots.all())
        reaction.lots.set(lots)
        diary_reaction_confirmed.send(sender=DiaryReaction, reaction=reaction, by=by)
        after |= {"reaction_id": reaction.pk, "grade": reaction_grade, "lots": [lot.lot_id for lot in lots]}
    record(
        action="followup.contact",
        by=by,
        target=contact,
        patient=follow_up.patient,
        summary=f"Care-team contact: {contact.get_outcome_display()}",
        after=after,
    )
    return contact

"""Write the adverse-event register: open a report from its source, edit it in review, decide on it.

Each function is one transaction, takes keyword-only arguments and leaves an audit event. Reports open by
themselves: the flowsheet and the follow-up send a signal when they record a reaction (see `receivers`).
Workflow: new -> in review -> reviewed -> reported to the regulator (date and reference) or closed as not
reportable (reason). Only new and in-review reports can be edited.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from ivig import clock
from ivig.audit.events import record
from ivig.clinical.adverse_events import initial_criteria
from ivig.followup.models import DiaryReaction
from ivig.hemovigilance.models import SERIOUSNESS_CRITERIA, AdverseEventReport
from ivig.infusions.models import AdverseEvent
from ivig.inventory.models import Lot
from ivig.lib.refusals import ActionRefused, ConflictRefused

if TYPE_CHECKING:
    from ivig.accounts.models import User

Status = AdverseEventReport.Status
EDITABLE_FIELDS = (
    "description",
    "grade",
    *(name for name, _label in SERIOUSNESS_CRITERIA),
    "died_on",
    "outcome",
    "causality",
    "dechallenge",
    "rechallenge",
    "reviewer_notes",
)


class ReviewError(ActionRefused):
    """A change the workflow does not allow; the message is shown to the reviewer."""


class ReviewConflict(ReviewError, ConflictRefused):
    """Someone else saved the report after this reviewer opened it."""


def criteria_fields(grade: int, *, flagged_serious: bool = False) -> dict[str, bool]:
    chosen = {
        f"serious_{criterion.value}" for criterion in initial_criteria(grade, flagged_serious=flagged_serious)
    }
    return {name: name in chosen for name, _label in SERIOUSNESS_CRITERIA}


def _open(
    *, by: User, lots: list[Lot], values: dict[str, Any], source: dict[str, Any], flagged_serious: bool
) -> AdverseEventReport:
    criteria = criteria_fields(values["grade"], flagged_serious=flagged_serious)
    order = values["order"]
    product = lots[0].product.catalog_slug if lots else order.product_for_plan
    report = AdverseEventReport.objects.create(
        **source,
        **values,
        **criteria,
        serious=any(criteria.values()),
        product_slug=product,
        outcome=AdverseEventReport.Outcome.UNKNOWN,
        recorded_by=by,
        recorded_at=clock.now(),
    )
    report.lots.set(lots)
    record(
        action="hemovigilance.ae_open",
        by=by,
        target=report,
        patient=report.patient,
        summary=f"Adverse-event report {report.reference} opened from the {report.source_label.lower()}",
        after={
            "source": {key: obj.pk for key, obj in source.items()},
            "grade": report.grade,
            "serious": report.serious,
            "lots": [lot.pk for lot in lots],
        },
    )
    return report


@transaction.atomic
def open_report_for_flowsheet_event(*, by: User, event: AdverseEvent) -> AdverseEventReport:
    """Open the report for a reaction recorded on the flowsheet (again: returns the one already open)."""
    existing = AdverseEventReport.objects.filter(flowsheet_event=event).first()
    if existing is not None:
        return existing
    return _open(
        by=by,
        lots=list(event.lots.select_related("product")),
        values={
            "patient": event.patient,
            "order": event.order,
            "onset_at": event.onset_at,
            "description": event.description,
            "grade": event.grade,
        },
        source={"flowsheet_event": event},
        flagged_serious=event.serious,
    )


# A follow-up started by hand carries a typed end time; days of one course are a day apart, so an hour
# tells the same infusion from the next.
SAME_INFUSION = timedelta(hours=1)
STILL_OPEN = (
    AdverseEventReport.Status.NEW,
    AdverseEventReport.Status.IN_REVIEW,
    AdverseEventReport.Status.REVIEWED,
)


def _flowsheet_report_of_same_infusion(reaction: DiaryReaction) -> AdverseEventReport | None:
    """The open report of the infusion this diary followed, opened from its flowsheet, not yet linked."""
    ended = reaction.follow_up.ended_at
    return (
        AdverseEventReport.objects.select_for_update(of=("self",))
        .filter(
            patient_id=reaction.follow_up.patient_id,
            order_id=reaction.order_id,
            flowsheet_event__session__ended_at__gte=ended - SAME_INFUSION,
            flowsheet_event__session__ended_at__lte=ended + SAME_INFUSION,
            diary_reaction__isnull=True,
            status__in=STILL_OPEN,
        )
        .order_by("-onset_at", "-pk")
        .first()
    )


def _link(
    by: User, report: AdverseEventReport, reaction: DiaryReaction, lots: list[Lot]
) -> AdverseEventReport:
    report.diary_reaction = reaction
    report.version += 1
    report.save(update_fields=["diary_reaction", "version"])
    report.lots.add(*lots)
    record(
        action="hemovigilance.ae_link",
        by=by,
        target=report,
        patient=report.patient,
        summary=f"Diary reaction added to adverse-event report {report.reference} (same infusion)",
        after={
            "diary_reaction": reaction.pk,
            "diary_grade": reaction.grade,
            "lots": [lot.pk for lot in lots],
        },
    )
    return report


@transaction.atomic
def open_report_for_diary_reaction(*, by: User, reaction: DiaryReaction) -> AdverseEventReport:
    """Open the report for a reaction confirmed from the diary (again: returns the one already open).

    When the same infusion already has an open report from its flowsheet, the diary reaction joins it:
    one reaction told twice is one adverse event, not two reports that double the counts.
    """
    existing = AdverseEventReport.objects.filter(diary_reaction=reaction).first()
    if existing is not None:
        return existing
    lots = list(
        Lot.objects.filter(dispensed_for__diary_reactions=reaction).select_related("product").distinct()
    )
    same_infusion = _flowsheet_report_of_same_infusion(reaction)
    if same_infusion is not None:
        return _link(by, same_infusion, reaction, lots)
    return _open(
        by=by,
        lots=lots,
        values={
            "patient": reaction.follow_up.patient,
            "order": reaction.order,
            "onset_at": reaction.onset_at,
            "description": reaction.description,
            "grade": reaction.grade,
        },
        source={"diary_reaction": reaction},
        flagged_serious=False,
    )


def _lock(report: AdverseEventReport, expected_version: int | None = None) -> AdverseEventReport:
    locked = AdverseEventReport.objects.select_for_update().get(pk=report.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ReviewConflict("Someone else changed this report since you opened it. Reload it and try again.")
    return locked


def _saved(report: AdverseEventReport, fields: list[str]) -> None:
    report.version += 1
    report.save(update_fields=[*fields, "version"])


def _begin(report: AdverseEventReport, by: User) -> list[str]:
    if report.status != Status.NEW:
        return []
    report.status = Status.IN_REVIEW
    report.review_started_by, report.review_started_at = by, clock.now()
    return ["status", "review_started_by", "review_started_at"]


@transaction.atomic
def start_review(*, by: User, report: AdverseEventReport) -> AdverseEventReport:
    report = _lock(report)
    if report.status != Status.NEW:
        raise ReviewError(f"This report is already {report.get_status_display().lower()}.")
    _saved(report, _begin(report, by))
    record(
        action="hemovigilance.ae_review_start",
        by=by,
        target=report,
        patient=report.patient,
        summary=f"Review of {report.reference} started",
    )
    return report


def _check(values: dict[str, Any], onset_on: date) -> None:
    if not 1 <= int(values["grade"]) <= 5:
        raise ReviewError("Choose a CTCAE grade from 1 to 5.")
    if not str(values["description"]).strip():
        raise ReviewError("Describe the event.")
    fatal = values["outcome"] == AdverseEventReport.Outcome.FATAL
    if fatal != bool(values["serious_death"]):
        raise ReviewError("A fatal outcome and the seriousness criterion 'Death' go together.")
    died_on = values["died_on"]
    if died_on is not None and not (onset_on <= died_on <= timezone.localdate(clock.now())):
        raise ReviewError("The date of death must fall between the onset and today.")


@transaction.atomic
def update_report(
    *, by: User, report: AdverseEventReport, expected_version: int, changes: dict[str, Any]
) -> AdverseEventReport:
    """Change what the reviewer may change; a new report moves into review."""
    report = _lock(report, expected_version)
    if not report.is_open:
        raise ReviewError(f"A report that is {report.get_status_display().lower()} can no longer be edited.")
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    before = {name: getattr(report, name) for name in changes}
    values = {name: getattr(report, name) for name in EDITABLE_FIELDS} | changes
    _check(values, timezone.localdate(report.onset_at))
    changed = [name for name in changes if before[name] != changes[name]]
    for name in changed:
        setattr(report, name, changes[name])
    report.serious = any(getattr(report, name) for name, _label in SERIOUSNESS_CRITERIA)
    _saved(report, [*changed, "serious", *_begin(report, by)])
    record(
        action="hemovigilance.ae_update",
        by=by,
        target=report,
        patient=report.patient,
        summary=f"{report.reference} edited in review: {', '.join(changed) or 'no change'}",
        before={name: before[name] for name in changed},
        after={name: changes[name] for name in changed},
    )
    return report


@transaction.atomic
def complete_review(*, by: User, report: AdverseEventReport) -> AdverseEventReport:
    report = _lock(report)
    if report.status != Status.IN_REVIEW:
        raise ReviewError("Only a report in review can be marked reviewed.")
    if not report.causality:
        raise ReviewError("Assess the causality before completing the review.")
    report.status = Status.REVIEWED
    report.reviewed_by, report.reviewed_at = by, clock.now()
    _saved(report, ["status", "reviewed_by", "reviewed_at"])
    record(
        action="hemovigilance.ae_reviewed",
        by=by,
        target=report,
        patient=report.patient,
        summary=(
            f"{report.reference} reviewed: {report.get_causality_display()}, {report.get_outcome_display()}"
        ),
        after={"causality": report.causality, "outcome": report.outcome, "serious": report.serious},
    )
    return report


@transaction.atomic
def mark_reported(
    *, by: User, report: AdverseEventReport, reported_on: date, reference: str
) -> AdverseEventReport:
    report = _lock(report)
    if report.status != Status.REVIEWED:
        raise ReviewError("Only a reviewed report can be marked as reported to the regulator.")
    reference = reference.strip()
    if not reference:
        raise ReviewError("Give the regulator's reference for the report.")
    if not timezone.localdate(report.onset_at) <= reported_on <= timezone.localdate(clock.now()):
        raise ReviewError("The date reported must fall between the onset and today.")
    report.status = Status.REPORTED
    report.reported_by, report.reported_at = by, clock.now()
    report.regulator_reported_on, report.regulator_reference = reported_on, reference[:60]
    _saved(report, ["status", "reported_by", "reported_at", "regulator_reported_on", "regulator_reference"])
    record(
        action="hemovigilance.ae_reported",
        by=by,
        target=report,
        patient=report.patient,
        summary=f"{report.reference} reported to the regulator on {reported_on:%Y-%m-%d}, ref. {reference}",
        after={"reported_on": reported_on.isoformat(), "reference": report.regulator_reference},
    )
    return report


@transaction.atomic
def close_report(*, by: User, report: AdverseEventReport, reason: str) -> AdverseEventReport:
    report = _lock(report)
    if report.status != Status.REVIEWED:
        raise ReviewError("Only a reviewed report can be closed as not reportable.")
    reason = reason.strip()
    if not reason:
        raise ReviewError("Say why the event is not reportable.")
    report.status = Status.CLOSED
    report.closed_by, report.closed_at, report.closed_reason = by, clock.now(), reason[:300]
    _saved(report, ["status", "closed_by", "closed_at", "closed_reason"])
    record(
        action="hemovigilance.ae_closed",
        by=by,
        target=report,
        patient=report.patient,
        summary=f"{report.reference} closed as not reportable: {report.closed_reason}",
        after={"reason": report.closed_reason},
    )
    return report

"""A patient's outcomes from the database, judged by the clinical core: infection rates, ITP response,
review dates per regimen. Reads only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from ivig import clock
from ivig.clinical.outcomes import (
    Infection as CoreInfection,
)
from ivig.clinical.outcomes import (
    InfectionRates,
    ItpAssessment,
    PlateletCount,
    ReviewDue,
    ReviewSettings,
    assess_itp_response,
    infection_rates,
    review_due,
)
from ivig.clinical.outcomes.infections import FDA_SBI_RATE_LIMIT_PER_YEAR
from ivig.clinical.regimens import all_regimens
from ivig.orders.models import TherapyOrder
from ivig.outcomes.models import Bleeding, DoseTrial, Infection, OutcomeReview
from ivig.patients.models import LabResult, Patient

GIVEN = (TherapyOrder.Status.DISPENSED, TherapyOrder.Status.IN_PROGRESS, TherapyOrder.Status.COMPLETED)
REPLACEMENT = ("pi", "sid")  # indications whose efficacy is the infection rate (FDA guidance 2008)


def given_orders(patient: Patient) -> list[TherapyOrder]:
    """Orders whose product left the pharmacy for the patient, oldest first."""
    return list(
        patient.orders.filter(status__in=GIVEN, dispensed_at__isnull=False).order_by("dispensed_at", "id")
    )


def indication_of(regimen: str) -> str:
    found = all_regimens().get(regimen)
    return str(found.indication) if found else ""


@dataclass(frozen=True)
class InfectionSummary:
    since: date | None  # start of replacement therapy here; None: none given
    overall: InfectionRates | None
    last_year: InfectionRates | None
    limit_per_year: float = FDA_SBI_RATE_LIMIT_PER_YEAR


def infection_summary(patient: Patient, orders: list[TherapyOrder], today: date) -> InfectionSummary:
    """SBI and other rates per patient-year on replacement therapy: since its start and over 12 months."""
    starts = [
        timezone.localdate(o.dispensed_at)
        for o in orders
        if o.dispensed_at is not None and indication_of(o.regimen) in REPLACEMENT
    ]
    if not starts:
        return InfectionSummary(None, None, None)
    log = [
        CoreInfection(i.onset, i.kind, i.serious_bacterial, i.antibiotic_days, i.hospital_days)
        for i in Infection.objects.filter(patient=patient)
    ]
    since, end = min(starts), today + timedelta(days=1)
    if end <= since:
        return InfectionSummary(since, None, None)
    year_start = max(since, end - timedelta(days=365))
    return InfectionSummary(since, infection_rates(log, since, end), infection_rates(log, year_start, end))


@dataclass(frozen=True)
class ItpSummary:
    course_started: date | None
    baseline: LabResult | None
    assessment: ItpAssessment | None
    counts: list[LabResult]  # after the baseline, oldest first
    bleeds: list[Bleeding]
    problem: str = ""


def itp_summary(patient: Patient, orders: list[TherapyOrder]) -> ItpSummary | None:
    """IWG response to the latest ITP course, from the platelet counts after it and the bleeds recorded."""
    courses = [o for o in orders if indication_of(o.regimen) == "itp"]
    if not courses:
        return None
    started = timezone.localdate(courses[-1].dispensed_at)
    platelets = list(patient.lab_results.filter(kind=LabResult.Kind.PLATELETS).order_by("taken_on", "id"))
    bleeds = list(Bleeding.objects.filter(patient=patient).order_by("started_on"))
    before = [r for r in platelets if r.taken_on <= started]
    if not before:
        return ItpSummary(started, None, None, [], bleeds, "no platelet count on or before the course start")
    baseline = before[-1]
    after = [r for r in platelets if r.taken_on > baseline.taken_on]

    def bleeding_on(day: date) -> bool:
        return any(b.started_on <= day <= (b.ended_on or b.started_on) for b in bleeds)

    counts = [PlateletCount(r.taken_on, float(r.value), bleeding_on(r.taken_on)) for r in after]
    assessment = assess_itp_response(float(baseline.value), counts)
    return ItpSummary(started, baseline, assessment, after, bleeds)


@dataclass(frozen=True)
class ReviewLine:
    regimen: str
    regimen_name: str
    indication: str
    started: date
    due: ReviewDue
    last_review: date | None
    order_review_date: date | None  # the prescriber's "review by" on the latest order
    state: str  # overdue, soon, later, recorded, unset


def _last_reviews(patient: Patient) -> dict[str, list[date]]:
    reviewed: dict[str, list[date]] = {}
    for indication, day in OutcomeReview.objects.filter(patient=patient).values_list(
        "indication", "reviewed_on"
    ):
        reviewed.setdefault(indication, []).append(day)
    for indication, decided in DoseTrial.objects.filter(patient=patient, result_on__isnull=False).values_list(
        "indication", "result_on"
    ):
        if decided is not None:
            reviewed.setdefault(indication, []).append(decided)
    return reviewed


def reviews_due(patient: Patient, orders: list[TherapyOrder], today: date) -> list[ReviewLine]:
    """The next review of each regimen given: ongoing from its first course, a course from its last."""
    reviewed = _last_reviews(patient)
    rules = ReviewSettings(course_outcome_due_days=settings.IVIG_COURSE_OUTCOME_DUE_DAYS)
    notice = timedelta(days=settings.IVIG_RENEWAL_NOTICE_DAYS)
    by_regimen: dict[str, list[TherapyOrder]] = {}
    for order in orders:
        by_regimen.setdefault(order.regimen, []).append(order)
    lines = []
    for regimen, given in by_regimen.items():
        if regimen not in all_regimens():
            continue
        indication = indication_of(regimen)
        first = timezone.localdate(given[0].dispensed_at or clock.now())
        latest = timezone.localdate(given[-1].dispensed_at or clock.now())
        due_probe = review_due(regimen, started=first)
        started = first if due_probe.kind == "ongoing" else latest
        since = [day for day in reviewed.get(indication, []) if day >= started]
        last = max(since) if since else None
        due = review_due(regimen, started=started, last_review=last, settings=rules)
        if due.recorded:
            state = "recorded"
        elif due.due is None:
            state = "unset"
        elif due.due < today:
            state = "overdue"
        elif due.due <= today + notice:
            state = "soon"
        else:
            state = "later"
        name = all_regimens()[regimen].name
        lines.append(ReviewLine(regimen, name, indication, started, due, last, given[-1].review_date, state))
    return sorted(lines, key=lambda line: (line.due.due is None, line.due.due or today))

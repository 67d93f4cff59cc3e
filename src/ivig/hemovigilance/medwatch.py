"""The adverse-event register as a CSV with the fields of an FDA MedWatch report, one row per report.

Fields follow Form FDA 3500 (2/19) and FDA's "Instructions for Completing Form FDA 3500"
(https://www.fda.gov/safety/medwatch-forms-fda-safety-reporting/instructions-completing-form-fda-3500):
section A patient (identifier, age or date of birth, sex, weight), B adverse event (outcomes attributed to the
event with the date of death, date of event, date of this report, description), D suspect products (name,
strength and manufacturer, lot, dose, frequency and route, therapy dates, diagnosis for use, expiration date,
event abated after use stopped or dose reduced, event reappeared after reintroduction) and E reporter (the
centre; section G on Form 3500A). Dates are dd-mmm-yyyy as the form asks. Several lots of one report share
its row, separated by "; ". The patient identifier is the initials, as the instructions ask (never the name).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from ivig import clock
from ivig.hemovigilance.models import SERIOUSNESS_CRITERIA, AdverseEventReport
from ivig.inventory.models import catalog_product
from ivig.lib.csvcells import cell
from ivig.siteconfig.models import SiteSettings

COLUMNS = (
    "Report",
    "Review status",
    "Regulator reference",
    "Date reported to regulator",
    "A1 Patient identifier",
    "A2 Age at time of event (years)",
    "A2 Date of birth",
    "A3 Sex",
    "A4 Weight (kg)",
    "B1 Type of report",
    *(f"B2 {label}" for _name, label in SERIOUSNESS_CRITERIA),
    "B2 Date of death",
    "B3 Date of event",
    "B4 Date of this report",
    "B5 Describe event",
    "CTCAE grade",
    "Outcome",
    "Causality (WHO-UMC)",
    "D1 Name",
    "D1 Strength",
    "D1 Manufacturer",
    "D1 Lot number",
    "D2 Dose or amount",
    "D2 Frequency",
    "D2 Route",
    "D3 Therapy start",
    "D3 Therapy stop",
    "D4 Diagnosis for use (indication)",
    "D6 Expiration date",
    "D7 Event abated after use stopped or dose reduced",
    "D8 Event reappeared after reintroduction",
    "E Reporter name",
    "E Reporter facility",
    "E Reporter address",
    "E Reporter phone",
    "E Health professional",
    "Source",
)
CHALLENGE = {"yes": "Yes", "no": "No", "na": "Doesn't apply", "": ""}


def form_date(day: date | None) -> str:
    return day.strftime("%d-%b-%Y") if day else ""


def _local(moment: Any) -> date | None:
    return timezone.localtime(moment).date() if moment else None


def _number(value: Decimal | None) -> str:
    return "" if value is None else f"{Decimal(value).normalize():f}"


def _initials(patient: Any) -> str:
    return "".join(part[:1].upper() for part in (patient.given_name, patient.family_name))


def _age_years(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _therapy(report: AdverseEventReport) -> tuple[date | None, date | None, str, Decimal | None]:
    """(start, stop, dose that day, weight) from the infusion (flowsheet) or the follow-up (diary)."""
    if report.flowsheet_event is not None:
        session = report.flowsheet_event.session
        dose = (session.plan_day or {}).get("dose_g")
        weight = session.weight_today_kg or report.order.verified_weight_kg or report.order.weight_kg
        return _local(session.started_at), _local(session.ended_at), str(dose or ""), weight
    assert report.diary_reaction is not None
    ended = _local(report.diary_reaction.follow_up.ended_at)
    return ended, ended, "", report.order.verified_weight_kg or report.order.weight_kg


def _dose(report: AdverseEventReport, day_dose_g: str) -> tuple[str, str]:
    order = report.order
    if order.dose_g_per_kg is not None:
        dose = f"{_number(order.dose_g_per_kg)} g/kg"
    elif order.sc_dose_g is not None:
        dose = f"{_number(order.sc_dose_g)} g"
    else:
        dose = ""
    if day_dose_g:
        dose = f"{dose} ({_number(Decimal(day_dose_g))} g that day)".strip()
    days = len((order.plan or {}).get("days") or []) or order.days
    frequency = f"once a day for {days} day(s)" if days else ""
    if order.repeat_interval_weeks:
        frequency += f", every {order.repeat_interval_weeks} weeks"
    return dose, frequency


def _product(report: AdverseEventReport) -> tuple[str, str, str]:
    product = catalog_product(report.product_slug)
    if product is None:
        return report.product_slug, "", ""
    concentration = product.concentration_g_per_100ml
    strength = f"{_number(Decimal(str(concentration.value)))}%" if concentration.known else ""
    return product.name, strength, product.maker


def row(report: AdverseEventReport, *, site: SiteSettings, today: date) -> list[str]:
    patient = report.patient
    onset = _local(report.onset_at)
    assert onset is not None
    start, stop, day_dose, weight = _therapy(report)
    dose, frequency = _dose(report, day_dose)
    name, strength, maker = _product(report)
    lots = list(report.lots.all())
    reviewer = report.reviewed_by or report.reported_by
    values: list[Any] = [
        report.reference,
        report.get_status_display(),
        report.regulator_reference,
        form_date(report.regulator_reported_on),
        _initials(patient),
        _age_years(patient.date_of_birth, onset),
        form_date(patient.date_of_birth),
        patient.get_sex_at_birth_display(),
        _number(weight),
        "Adverse event",
        *("Yes" if getattr(report, field) else "" for field, _label in SERIOUSNESS_CRITERIA),
        form_date(report.died_on),
        form_date(onset),
        form_date(today),
        report.description,
        report.grade,
        report.get_outcome_display(),
        report.get_causality_display() if report.causality else "Not assessed",
        name,
        strength,
        maker,
        "; ".join(lot.lot_number for lot in lots),
        dose,
        frequency,
        report.order.get_route_display(),
        form_date(start),
        form_date(stop),
        report.order.regimen_name,
        "; ".join(form_date(lot.expiry_date) for lot in lots),
        CHALLENGE[report.dechallenge],
        CHALLENGE[report.rechallenge],
        reviewer.display_name if reviewer else "",
        site.centre_name,
        " ".join(site.address.split()),
        site.phone_appointments,
        "Yes",
        report.source_label,
    ]
    return [cell(value) for value in values]


def rows(reports: Iterable[AdverseEventReport]) -> Iterator[list[str]]:
    site = SiteSettings.load()
    today = clock.localdate()
    yield list(COLUMNS)
    for report in reports:
        yield row(report, site=site, today=today)

"""Where the grams go: dispensed grams by indication, product, prescriber and month, patients on therapy,
infusions per day. Every figure is aggregated in the database: one query per report whatever the rows."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Case, Count, DecimalField, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from ivig.clinical.regimens import all_regimens
from ivig.infusions.models import InfusionSession
from ivig.inventory.models import catalog_product
from ivig.orders.models import INDICATION_CHOICES, DispensedLot, TherapyOrder
from ivig.reports.period import Period
from ivig.reports.tables import Table, grams

GRAMS = Sum(
    F("quantity_vials") * F("lot__product__vial_size_g"),
    output_field=DecimalField(max_digits=14, decimal_places=2),
)
INDICATION_LABELS = dict(INDICATION_CHOICES)


def indication_of_regimen(field: str) -> Case:
    """The indication of an order's regimen as a database expression (regimens live in the clinical core)."""
    return Case(
        *[
            When(**{field: regimen.id}, then=Value(str(regimen.indication)))
            for regimen in all_regimens().values()
        ],
        default=Value(""),
    )


def dispensed_in(period: Period) -> QuerySet[DispensedLot]:
    return DispensedLot.objects.filter(
        order__dispensed_at__gte=period.start_at, order__dispensed_at__lt=period.end_before
    )


def _grams_rows(period: Period, key: str, **annotations: Any) -> list[dict[str, Any]]:
    return list(
        dispensed_in(period)
        .annotate(**annotations)
        .values(key)
        .annotate(
            orders=Count("order", distinct=True),
            patients=Count("order__patient", distinct=True),
            vials=Sum("quantity_vials"),
            dispensed_g=GRAMS,
        )
        .order_by(key)
    )


def _grams_total(period: Period) -> dict[str, Any]:
    return dispensed_in(period).aggregate(
        orders=Count("order", distinct=True),
        patients=Count("order__patient", distinct=True),
        vials=Sum("quantity_vials"),
        dispensed_g=GRAMS,
    )


COLUMNS = ("Orders", "Patients", "Vials", "Grams")


def _table(first: str, rows: list[tuple[Any, ...]], total: dict[str, Any]) -> Table:
    return Table(
        (first, *COLUMNS),
        rows,
        ("Total", total["orders"], total["patients"], total["vials"] or 0, grams(total["dispensed_g"])),
    )


def _line(label: str, row: dict[str, Any]) -> tuple[Any, ...]:
    return (label, row["orders"], row["patients"], row["vials"] or 0, grams(row["dispensed_g"]))


def grams_by_indication(period: Period) -> Table:
    rows = _grams_rows(period, "indication", indication=indication_of_regimen("order__regimen"))
    lines = [_line(INDICATION_LABELS.get(r["indication"], r["indication"] or "Unknown"), r) for r in rows]
    return _table("Indication", sorted(lines, key=lambda line: -line[4]), _grams_total(period))


def grams_by_product(period: Period) -> Table:
    rows = _grams_rows(period, "lot__product__catalog_slug")
    lines = []
    for row in rows:
        product = catalog_product(row["lot__product__catalog_slug"])
        lines.append(_line(product.name if product else row["lot__product__catalog_slug"], row))
    return _table("Product", sorted(lines, key=lambda line: -line[4]), _grams_total(period))


def grams_by_prescriber(period: Period) -> Table:
    rows = list(
        dispensed_in(period)
        .values("order__prescriber", "order__prescriber__first_name", "order__prescriber__last_name")
        .annotate(
            orders=Count("order", distinct=True),
            patients=Count("order__patient", distinct=True),
            vials=Sum("quantity_vials"),
            dispensed_g=GRAMS,
            username=F("order__prescriber__username"),
        )
        .order_by("order__prescriber")
    )
    lines = []
    for row in rows:
        name = f"{row['order__prescriber__first_name']} {row['order__prescriber__last_name']}".strip()
        lines.append(_line(name or row["username"] or "Unknown", row))
    return _table("Prescriber", sorted(lines, key=lambda line: -line[4]), _grams_total(period))


def _month_key(moment: Any) -> date:
    """A truncated month from the database (a datetime, or a date on some backends) as its first day."""
    if hasattr(moment, "date"):
        moment = timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    day: date = moment.replace(day=1)
    return day


def grams_by_month(period: Period) -> Table:
    rows = {
        _month_key(r["month"]): r
        for r in _grams_rows(period, "month", month=TruncMonth("order__dispensed_at"))
    }
    empty = {"orders": 0, "patients": 0, "vials": 0, "dispensed_g": 0}
    lines = [_line(f"{month:%Y-%m}", rows.get(month, empty)) for month in period.months()]
    return _table("Month", lines, _grams_total(period))


def patients_on_therapy(period: Period) -> Table:
    """Patients with an order dispensed in each month, and in the whole period (a patient counts once)."""
    given = TherapyOrder.objects.filter(dispensed_at__gte=period.start_at, dispensed_at__lt=period.end_before)
    rows = {
        _month_key(r["month"]): r
        for r in given.annotate(month=TruncMonth("dispensed_at"))
        .values("month")
        .annotate(
            patients=Count("patient", distinct=True),
            orders=Count("id"),
            iv=Count("patient", distinct=True, filter=Q(route="iv")),
            sc=Count("patient", distinct=True, filter=Q(route="sc")),
        )
        .order_by("month")
    }
    total = given.aggregate(
        patients=Count("patient", distinct=True),
        orders=Count("id"),
        iv=Count("patient", distinct=True, filter=Q(route="iv")),
        sc=Count("patient", distinct=True, filter=Q(route="sc")),
    )
    empty = {"patients": 0, "orders": 0, "iv": 0, "sc": 0}

    def cells(r: dict[str, Any]) -> tuple[Any, ...]:
        return (r["patients"], r["iv"], r["sc"], r["orders"])

    return Table(
        ("Month", "Patients", "Patients on IV", "Patients on SC", "Orders dispensed"),
        [(f"{month:%Y-%m}", *cells(rows.get(month, empty))) for month in period.months()],
        ("Whole period", *cells(total)),
    )


def infusions_per_day(period: Period) -> Table:
    """Infusions started each day, in a centre chair and at home (sessions sent back never started)."""
    started = InfusionSession.objects.filter(
        started_at__gte=period.start_at, started_at__lt=period.end_before
    ).exclude(status=InfusionSession.Status.SENT_BACK)
    counts = {
        "centre": Count("id", filter=Q(setting="centre")),
        "home": Count("id", filter=Q(setting="home")),
    }
    rows = {
        r["day"]: r
        for r in started.annotate(day=TruncDate("started_at"))
        .values("day")
        .annotate(**counts)
        .order_by("day")
    }
    lines = [
        (f"{day:%Y-%m-%d}", r["centre"], r["home"], r["centre"] + r["home"])
        for day in period.days()
        if (r := rows.get(day)) is not None
    ]
    total = started.aggregate(**counts)
    return Table(
        ("Day", "Centre", "Home", "Infusions"),
        lines,
        ("Total", total["centre"], total["home"], total["centre"] + total["home"]),
    )

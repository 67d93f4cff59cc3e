"""Build the supply core's input (`SupplyData`) from the database: a handful of queries, whatever the size.

- Recurring regimens: each patient's latest order with a repeat interval (not cancelled or refused), projected
  every interval from its last dispensing (or due now when not yet dispensed); it ends after its cycles.
- Courses under way: signed orders without a repeat interval, not yet dispensed: their plan's days, from the
  first booked day (or today).
- Bookings: booked appointments from today, each the plan's dose for that course day.
- Past use: what was dispensed (the stock ledger, through the orders' dispensed lots), per day and product.
- Stock: each lot's balance per location; quarantined or recalled lots flagged (the core counts only usable,
  in-date, not quarantined stock); nothing is "on order" because ivig keeps no purchase orders yet.
Grams are the prescribed grams; the core turns them into whole vials by the site's rounding rule.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Min
from django.utils import timezone

from ivig.clinical.supply import (
    ActiveCourse,
    Appointment,
    CourseDose,
    ProductInfo,
    RecurringOrder,
    StockLot,
    SupplyData,
    UsageRecord,
)
from ivig.inventory.models import Lot, LotBalance, StockProduct, catalog_product, catalog_vial_sizes_g
from ivig.orders.models import DispensedLot, TherapyOrder
from ivig.scheduling.models import Appointment as Booking

HISTORY_DAYS = 400  # past use read for the trend and the backtest (a year and a bit)
NOT_RECURRING = (TherapyOrder.Status.CANCELLED, TherapyOrder.Status.REFUSED, TherapyOrder.Status.DRAFT)
NOT_DISPENSED = (
    TherapyOrder.Status.AWAITING_APPROVAL,
    TherapyOrder.Status.SIGNED,
    TherapyOrder.Status.VERIFIED,
)


def _product_of(order: TherapyOrder) -> str:
    plan = order.plan or {}
    return str(order.product_for_plan or plan.get("product") or "")


def _day_doses(order: TherapyOrder) -> dict[int, float]:
    """{course day: prescribed grams} from the order's plan."""
    return {int(day["day"]): float(day["dose_g"]) for day in (order.plan or {}).get("days", [])}


def _products(named: set[str]) -> tuple[ProductInfo, ...]:
    """Every product stocked or named by an order: the stocked vial sizes, else the catalog's."""
    sizes: dict[str, set[float]] = defaultdict(set)
    for slug, size in StockProduct.objects.values_list("catalog_slug", "vial_size_g"):
        sizes[slug].add(float(size))
    infos = []
    for slug in sorted(set(sizes) | named):
        product = catalog_product(slug)
        found = sizes.get(slug) or {float(size) for size in catalog_vial_sizes_g(slug)}
        infos.append(ProductInfo(slug, product.name if product else slug, tuple(sorted(found))))
    return tuple(infos)


def _recurring(today: date, first_booked: dict[int, date]) -> list[RecurringOrder]:
    latest: dict[int, TherapyOrder] = {}
    for order in (
        TherapyOrder.objects.filter(repeat_interval_weeks__isnull=False)
        .exclude(status__in=NOT_RECURRING)
        .order_by("patient_id", "-signed_at", "-pk")
    ):
        latest.setdefault(order.patient_id, order)
    result = []
    for order in latest.values():
        weeks, doses, product = order.repeat_interval_weeks or 0, _day_doses(order), _product_of(order)
        if weeks < 1 or not doses or not product or order.signed_at is None:
            continue
        interval = weeks * 7
        started = timezone.localdate(order.signed_at)
        if order.dispensed_at is not None:
            next_due = timezone.localdate(order.dispensed_at) + timedelta(days=interval)
        else:
            next_due = first_booked.get(order.pk, today)
        until = started + timedelta(days=interval * order.cycles) if order.cycles else None
        result.append(
            RecurringOrder(
                order_id=str(order.pk),
                patient_id=str(order.patient_id),
                product=product,
                dose_g=sum(doses.values()),
                interval_days=interval,
                next_due=next_due,
                until=until,
                days_per_cycle=min(len(doses), interval),
                started_on=started,
            )
        )
    return result


def _courses(today: date, first_booked: dict[int, date]) -> list[ActiveCourse]:
    courses = []
    for order in TherapyOrder.objects.filter(status__in=NOT_DISPENSED, repeat_interval_weeks__isnull=True):
        doses, product = _day_doses(order), _product_of(order)
        if not doses or not product:
            continue
        start = first_booked.get(order.pk, today)
        remaining = tuple(
            CourseDose(start + timedelta(days=day - 1), grams)
            for day, grams in sorted(doses.items())
            if grams > 0
        )
        courses.append(ActiveCourse(str(order.pk), str(order.patient_id), product, remaining))
    return courses


def _bookings(today: date) -> tuple[list[Appointment], dict[int, date]]:
    bookings: list[Appointment] = []
    first: dict[int, date] = dict(
        Booking.objects.filter(status=Booking.Status.BOOKED)
        .values("order_id")
        .annotate(first_day=Min("day"))
        .values_list("order_id", "first_day")
    )
    for booking in Booking.objects.filter(status=Booking.Status.BOOKED, day__gte=today).select_related(
        "order"
    ):
        order = booking.order
        grams, product = _day_doses(order).get(booking.course_day), _product_of(order)
        if not grams or not product:
            continue
        bookings.append(
            Appointment(
                appointment_id=str(booking.pk),
                patient_id=str(booking.patient_id),
                product=product,
                day=booking.day,
                grams=grams,
                order_id=str(order.pk),
                booked_on=timezone.localdate(booking.booked_at),
            )
        )
    return bookings, first


def _usage(today: date) -> list[UsageRecord]:
    since = timezone.make_aware(datetime.combine(today - timedelta(days=HISTORY_DAYS), time.min))
    rows: Any = DispensedLot.objects.filter(movement__recorded_at__gte=since).values_list(
        "movement__recorded_at",
        "lot__product__catalog_slug",
        "lot__product__vial_size_g",
        "quantity_vials",
        "order__patient_id",
        "order_id",
    )
    return [
        UsageRecord(timezone.localdate(at), slug, float(size) * vials, str(patient), str(order))
        for at, slug, size, vials, patient, order in rows
    ]


def _stock() -> list[StockLot]:
    rows = LotBalance.objects.filter(on_hand_vials__gt=0).values_list(
        "lot__product__catalog_slug",
        "lot__lot_number",
        "lot__product__vial_size_g",
        "on_hand_vials",
        "location__name",
        "lot__expiry_date",
        "lot__status",
    )
    return [
        StockLot(slug, lot, float(size), count, location, expiry, quarantined=status != Lot.Status.AVAILABLE)
        for slug, lot, size, count, location, expiry, status in rows
    ]


def supply_data(today: date, *, site: str = "") -> SupplyData:
    """The site's snapshot on `today`, as the supply core reads it."""
    bookings, first_booked = _bookings(today)
    recurring, courses = _recurring(today, first_booked), _courses(today, first_booked)
    usage, stock = _usage(today), _stock()
    named = {o.product for o in recurring} | {c.product for c in courses} | {b.product for b in bookings}
    named |= {u.product for u in usage} | {s.product for s in stock}
    return SupplyData(
        as_of=today,
        products=_products(named),
        recurring=tuple(recurring),
        courses=tuple(courses),
        appointments=tuple(bookings),
        usage=tuple(usage),
        stock=tuple(stock),
        incoming=(),
        site=site,
    )

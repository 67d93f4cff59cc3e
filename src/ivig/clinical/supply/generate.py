"""A seeded synthetic history for tests and the benchmark: N patients, P products, a year of use.

Not clinical data and not a model of any real centre. Most patients are on maintenance (every 3 or 4 weeks
at about 0.4 g/kg, the PI range of docs/reference/dosing.md s5; some on 1 g/kg every 3 weeks over 2 days,
the CIDP maintenance of s5); some start or stop during the year; a few doses are late or missed. The rest
have one short course (2 days at 1 g/kg or 5 days at 0.4 g/kg: the ITP and GBS courses of s5). Products are
chosen with a skewed popularity; vial sizes come from a few real size sets (s2). Each dose is booked
`BOOKING_LEAD_DAYS` ahead and recorded as used in whole vials. Stock and deliveries are drawn at the end.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from ivig.clinical.supply.forecast import ForecastSettings, whole_vials
from ivig.clinical.supply.model import (
    ActiveCourse,
    Appointment,
    CourseDose,
    IncomingOrder,
    ProductInfo,
    RecurringOrder,
    StockLot,
    SupplyData,
    UsageRecord,
)

BOOKING_LEAD_DAYS = 14
# Vial size sets of real products (docs/reference/products.md s2): Privigen, Gamunex-C, Octagam 10 %,
# Flebogamma 10 % DIF.
SIZE_SETS: tuple[tuple[float, ...], ...] = (
    (5.0, 10.0, 20.0, 40.0),
    (1.0, 2.5, 5.0, 10.0, 20.0, 40.0),
    (2.0, 5.0, 10.0, 20.0, 30.0),
    (5.0, 10.0, 20.0),
)
MAINTENANCE_SHARE = 0.85


def generate_history(
    *, patients: int, products: int, start: date = date(2025, 12, 1), days: int = 365, seed: int = 20
) -> SupplyData:
    """Return `data` with `as_of` = start + days: the whole history, its orders, bookings, stock."""
    rng = np.random.default_rng(seed)
    settings = ForecastSettings()
    infos = tuple(
        ProductInfo(f"product-{i + 1:02d}", f"Product {i + 1:02d}", SIZE_SETS[i % len(SIZE_SETS)])
        for i in range(products)
    )
    popularity = 1.0 / np.arange(1, products + 1)
    popularity /= popularity.sum()
    as_of = start + timedelta(days=days)
    weights = np.clip(rng.normal(70, 18, patients), 15, 140)
    choice = rng.choice(products, size=patients, p=popularity)
    maintenance = rng.random(patients) < MAINTENANCE_SHARE
    recurring: list[RecurringOrder] = []
    courses: list[ActiveCourse] = []
    appointments: list[Appointment] = []
    usage: list[UsageRecord] = []

    def give(patient: str, order: str, product: ProductInfo, day: date, grams: float) -> None:
        appointments.append(
            Appointment(
                f"a{len(appointments)}",
                patient,
                product.slug,
                day,
                grams,
                order,
                day - timedelta(days=BOOKING_LEAD_DAYS),
            )
        )
        if day < as_of:
            dispensed = whole_vials(
                grams, product.vial_sizes_g, settings.rounding_rule, settings.rounding_tolerance_pct
            )[0]
            usage.append(UsageRecord(day, product.slug, dispensed, patient, order))

    for i in range(patients):
        patient, order, product = f"p{i}", f"o{i}", infos[int(choice[i])]
        if maintenance[i]:
            cidp = rng.random() < 0.15
            interval = 21 if cidp else int(rng.choice((21, 28)))
            cycle_days = 2 if cidp else 1
            dose = round(float(weights[i]) * (1.0 if cidp else rng.uniform(0.3, 0.6)), 0)
            began = start - timedelta(days=int(rng.integers(0, 400)))
            if rng.random() < 0.12:  # a new patient during the year
                began = start + timedelta(days=int(rng.integers(0, days)))
            until = as_of + timedelta(days=400)
            if rng.random() < 0.08:  # stops during the year
                until = start + timedelta(days=int(rng.integers(0, days)))
            first = max(began, start - timedelta(days=int(rng.integers(0, interval))))
            due = first
            while due <= min(until, as_of + timedelta(days=BOOKING_LEAD_DAYS)):
                late = int(rng.integers(0, 4)) if rng.random() < 0.2 else 0
                if rng.random() >= 0.03:  # a missed dose now and then
                    for k in range(cycle_days):
                        give(patient, order, product, due + timedelta(days=late + k), dose / cycle_days)
                due += timedelta(days=interval + late)
            recurring.append(
                RecurringOrder(
                    order,
                    patient,
                    product.slug,
                    dose,
                    interval,
                    due,
                    until=until,
                    days_per_cycle=cycle_days,
                    started_on=began,
                )
            )
        else:
            five = rng.random() < 0.4
            per_day = round(float(weights[i]) * (0.4 if five else 1.0), 0)
            day0 = start + timedelta(days=int(rng.integers(-30, days)))
            doses = tuple(CourseDose(day0 + timedelta(days=k), per_day) for k in range(5 if five else 2))
            courses.append(ActiveCourse(order, patient, product.slug, doses))
            for dose_ in doses:
                if dose_.day >= start:
                    give(patient, order, product, dose_.day, dose_.grams)
    stock, incoming = _stock(rng, infos, usage, as_of)
    return SupplyData(
        as_of=as_of,
        products=infos,
        recurring=tuple(recurring),
        courses=tuple(courses),
        appointments=tuple(a for a in appointments if a.booked_on is not None and a.booked_on <= as_of),
        usage=tuple(sorted(usage, key=lambda u: u.day)),
        stock=tuple(stock),
        incoming=tuple(incoming),
        site="generated",
    )


def _stock(
    rng: np.random.Generator, infos: tuple[ProductInfo, ...], usage: list[UsageRecord], as_of: date
) -> tuple[list[StockLot], list[IncomingOrder]]:
    """Two to eight weeks of each product's recent use on hand, in lots; one delivery on order."""
    recent: dict[str, float] = {}
    for record in usage:
        if record.day >= as_of - timedelta(days=28):
            recent[record.product] = recent.get(record.product, 0.0) + record.grams / 28
    stock, incoming = [], []
    for info in infos:
        per_day = recent.get(info.slug, 1.0)
        size = max(info.vial_sizes_g)
        weeks = float(rng.uniform(2, 8))
        for n in range(3):
            count = max(1, round(per_day * 7 * weeks / 3 / size))
            stock.append(
                StockLot(
                    info.slug,
                    f"{info.slug}-L{n}",
                    size,
                    count,
                    ("pharmacy", "ward")[n % 2],
                    as_of + timedelta(days=int(rng.integers(5, 300))),
                    quarantined=n == 2 and rng.random() < 0.1,
                )
            )
        incoming.append(
            IncomingOrder(
                info.slug,
                size,
                max(1, round(per_day * 14 / size)),
                as_of + timedelta(days=int(rng.integers(3, 30))),
            )
        )
    return stock, incoming

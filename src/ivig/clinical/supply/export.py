"""The site data export (JSON) the supply forecast reads: format, parser with clear errors, and writer.

Format (version 1; docs/features/supply.md gives the full description):

    {"format": "ivig-supply-export", "version": 1, "site": "...", "as_of": "YYYY-MM-DD",
     "products": [{"slug", "name", "vial_sizes_g": [..]}],
     "recurring_orders": [{"order_id", "patient_id", "product", "dose_g", "interval_days", "next_due",
                           "until"?, "days_per_cycle"?, "started_on"?}],
     "courses": [{"order_id", "patient_id", "product", "doses": [{"day", "grams"}]}],
     "appointments": [{"appointment_id", "patient_id", "product", "day", "grams", "order_id"?, "booked_on"?}],
     "usage": [{"day", "product", "grams", "patient_id"?, "order_id"?}],
     "stock": [{"product", "lot", "vial_g", "count", "location", "expires_on", "quarantined"?}],
     "incoming": [{"product", "vial_g", "count", "expected_on", "expires_on"?}]}

Keys marked ? are optional; lists other than "products" may be missing (empty). Unknown keys are ignored, so
a newer exporter can add fields. Every product named anywhere must be listed in "products".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, TypeVar

from ivig.clinical.supply.model import (
    ActiveCourse,
    Appointment,
    CourseDose,
    IncomingOrder,
    ProductInfo,
    RecurringOrder,
    StockLot,
    SupplyData,
    SupplyInputError,
    UsageRecord,
)

FORMAT = "ivig-supply-export"
VERSION = 1
T = TypeVar("T")


class SupplyExportError(ValueError):
    """The export cannot be read; the message names the place, e.g. `recurring_orders[3].dose_g`."""


class _Row:
    """One JSON object with typed getters that name the path in their errors."""

    def __init__(self, raw: object, path: str) -> None:
        if not isinstance(raw, Mapping):
            raise SupplyExportError(f"{path}: expected an object, got {type(raw).__name__}")
        self.raw: Mapping[str, Any] = raw
        self.path = path

    def _get(self, key: str, optional: bool) -> Any:
        if key not in self.raw or self.raw[key] is None:
            if optional:
                return None
            raise SupplyExportError(f"{self.path}.{key}: missing")
        return self.raw[key]

    def text(self, key: str, optional: bool = False) -> str:
        value = self._get(key, optional)
        if value is None:
            return ""
        if not isinstance(value, str | int) or isinstance(value, bool) or str(value).strip() == "":
            raise SupplyExportError(f"{self.path}.{key}: expected a non-empty text, got {value!r}")
        return str(value)

    def number(self, key: str, *, minimum: float = 0.0, above: bool = False) -> float:
        value = self._get(key, False)
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise SupplyExportError(f"{self.path}.{key}: expected a number, got {value!r}")
        if value < minimum or (above and value <= minimum):
            word = "above" if above else "at least"
            raise SupplyExportError(f"{self.path}.{key}: must be {word} {minimum:g}, got {value!r}")
        return float(value)

    def integer(self, key: str, *, minimum: int = 0, optional_default: int | None = None) -> int:
        if optional_default is not None and self.raw.get(key) is None:
            return optional_default
        value = self._get(key, False)
        if isinstance(value, bool) or not isinstance(value, int):
            raise SupplyExportError(f"{self.path}.{key}: expected a whole number, got {value!r}")
        if value < minimum:
            raise SupplyExportError(f"{self.path}.{key}: must be at least {minimum}, got {value}")
        return int(value)

    def day(self, key: str) -> date:
        value = self._get(key, False)
        return _date(value, f"{self.path}.{key}")

    def optional_day(self, key: str) -> date | None:
        value = self._get(key, True)
        return None if value is None else _date(value, f"{self.path}.{key}")

    def flag(self, key: str) -> bool:
        value = self.raw.get(key, False)
        if not isinstance(value, bool):
            raise SupplyExportError(f"{self.path}.{key}: expected true or false, got {value!r}")
        return value

    def rows(self, key: str, required: bool = False) -> list[_Row]:
        path = f"{self.path}.{key}" if self.path else key
        value = self.raw.get(key)
        if value is None:
            if required:
                raise SupplyExportError(f"{path}: missing")
            return []
        if not isinstance(value, list):
            raise SupplyExportError(f"{path}: expected a list")
        return [_Row(item, f"{path}[{i}]") for i, item in enumerate(value)]


def _date(value: object, path: str) -> date:
    if not isinstance(value, str):
        raise SupplyExportError(f"{path}: expected a date YYYY-MM-DD, got {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise SupplyExportError(f"{path}: expected a date YYYY-MM-DD, got {value!r}") from None


def _each(rows: list[_Row], build: Callable[[_Row], T]) -> tuple[T, ...]:
    out = []
    for row in rows:
        try:
            out.append(build(row))
        except SupplyInputError as error:
            raise SupplyExportError(f"{row.path}: {error}") from None
    return tuple(out)


def _product(row: _Row) -> ProductInfo:
    sizes = row.raw.get("vial_sizes_g", [])
    if not isinstance(sizes, list) or any(
        isinstance(s, bool) or not isinstance(s, int | float) or not s > 0 for s in sizes
    ):
        raise SupplyExportError(f"{row.path}.vial_sizes_g: expected a list of grams above 0, got {sizes!r}")
    return ProductInfo(
        row.text("slug"),
        row.text("name", optional=True) or row.text("slug"),
        tuple(sorted(float(s) for s in sizes)),
    )


def _recurring(row: _Row) -> RecurringOrder:
    return RecurringOrder(
        order_id=row.text("order_id"),
        patient_id=row.text("patient_id"),
        product=row.text("product"),
        dose_g=row.number("dose_g", above=True),
        interval_days=row.integer("interval_days", minimum=1),
        next_due=row.day("next_due"),
        until=row.optional_day("until"),
        days_per_cycle=row.integer("days_per_cycle", minimum=1, optional_default=1),
        started_on=row.optional_day("started_on"),
    )


def _course(row: _Row) -> ActiveCourse:
    doses = tuple(
        CourseDose(dose.day("day"), dose.number("grams", above=True))
        for dose in row.rows("doses", required=True)
    )
    return ActiveCourse(row.text("order_id"), row.text("patient_id"), row.text("product"), doses)


def _appointment(row: _Row) -> Appointment:
    return Appointment(
        appointment_id=row.text("appointment_id"),
        patient_id=row.text("patient_id"),
        product=row.text("product"),
        day=row.day("day"),
        grams=row.number("grams", above=True),
        order_id=row.text("order_id", optional=True) or None,
        booked_on=row.optional_day("booked_on"),
    )


def _usage(row: _Row) -> UsageRecord:
    return UsageRecord(
        row.day("day"),
        row.text("product"),
        row.number("grams"),
        row.text("patient_id", optional=True),
        row.text("order_id", optional=True) or None,
    )


def _lot(row: _Row) -> StockLot:
    return StockLot(
        product=row.text("product"),
        lot=row.text("lot"),
        vial_g=row.number("vial_g", above=True),
        count=row.integer("count"),
        location=row.text("location"),
        expires_on=row.day("expires_on"),
        quarantined=row.flag("quarantined"),
    )


def _incoming(row: _Row) -> IncomingOrder:
    return IncomingOrder(
        row.text("product"),
        row.number("vial_g", above=True),
        row.integer("count"),
        row.day("expected_on"),
        row.optional_day("expires_on"),
    )


def parse_export(data: object) -> SupplyData:
    """Read a decoded export (`json.load` output) into `SupplyData`.

    Raise SupplyExportError naming the place of the first problem."""
    top = _Row(data, "export")
    fmt = top.raw.get("format")
    if fmt != FORMAT:
        raise SupplyExportError(f"export.format: expected {FORMAT!r}, got {fmt!r}")
    version = top.raw.get("version")
    if version != VERSION:
        raise SupplyExportError(f"export.version: this reader knows version {VERSION}, got {version!r}")
    top.path = ""
    products = _each(top.rows("products", required=True), _product)
    slugs = [p.slug for p in products]
    if len(set(slugs)) != len(slugs):
        raise SupplyExportError("products: a slug is listed twice")
    supply = SupplyData(
        as_of=_date(top.raw.get("as_of"), "export.as_of"),
        products=products,
        recurring=_each(top.rows("recurring_orders"), _recurring),
        courses=_each(top.rows("courses"), _course),
        appointments=_each(top.rows("appointments"), _appointment),
        usage=_each(top.rows("usage"), _usage),
        stock=_each(top.rows("stock"), _lot),
        incoming=_each(top.rows("incoming"), _incoming),
        site=str(top.raw.get("site") or ""),
    )
    _check_products(supply, set(slugs))
    return supply


def _check_products(supply: SupplyData, known: set[str]) -> None:
    named: list[tuple[str, tuple[str, ...]]] = [
        ("recurring_orders", tuple(o.product for o in supply.recurring)),
        ("courses", tuple(c.product for c in supply.courses)),
        ("appointments", tuple(a.product for a in supply.appointments)),
        ("usage", tuple(u.product for u in supply.usage)),
        ("stock", tuple(s.product for s in supply.stock)),
        ("incoming", tuple(i.product for i in supply.incoming)),
    ]
    for key, slugs in named:
        for i, slug in enumerate(slugs):
            if slug not in known:
                raise SupplyExportError(f"{key}[{i}].product: {slug!r} is not in products")


def _optional(**values: object) -> dict[str, object]:
    return {k: v for k, v in values.items() if v is not None}


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def to_export(data: SupplyData) -> dict[str, object]:
    """Write `data` in the export format (the inverse of `parse_export`)."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "site": data.site,
        "as_of": data.as_of.isoformat(),
        "products": [
            {"slug": p.slug, "name": p.name, "vial_sizes_g": list(p.vial_sizes_g)} for p in data.products
        ],
        "recurring_orders": [
            {
                "order_id": o.order_id,
                "patient_id": o.patient_id,
                "product": o.product,
                "dose_g": o.dose_g,
                "interval_days": o.interval_days,
                "next_due": o.next_due.isoformat(),
                "days_per_cycle": o.days_per_cycle,
                **_optional(until=_iso(o.until), started_on=_iso(o.started_on)),
            }
            for o in data.recurring
        ],
        "courses": [
            {
                "order_id": c.order_id,
                "patient_id": c.patient_id,
                "product": c.product,
                "doses": [{"day": d.day.isoformat(), "grams": d.grams} for d in c.remaining],
            }
            for c in data.courses
        ],
        "appointments": [
            {
                "appointment_id": a.appointment_id,
                "patient_id": a.patient_id,
                "product": a.product,
                "day": a.day.isoformat(),
                "grams": a.grams,
                **_optional(order_id=a.order_id, booked_on=_iso(a.booked_on)),
            }
            for a in data.appointments
        ],
        "usage": [
            {
                "day": u.day.isoformat(),
                "product": u.product,
                "grams": u.grams,
                **_optional(patient_id=u.patient_id or None, order_id=u.order_id),
            }
            for u in data.usage
        ],
        "stock": [
            {
                "product": s.product,
                "lot": s.lot,
                "vial_g": s.vial_g,
                "count": s.count,
                "location": s.location,
                "expires_on": s.expires_on.isoformat(),
                "quarantined": s.quarantined,
            }
            for s in data.stock
        ],
        "incoming": [
            {
                "product": i.product,
                "vial_g": i.vial_g,
                "count": i.count,
                "expected_on": i.expected_on.isoformat(),
                **_optional(expires_on=_iso(i.expires_on)),
            }
            for i in data.incoming
        ],
    }

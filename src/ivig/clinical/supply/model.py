"""The site data the supply core works on: products, orders, courses, bookings, use and stock.

Plain frozen records, no I/O. Dates are calendar days (`datetime.date`) in the centre's time zone; grams are
immunoglobulin grams. A site's data export (`supply.export`) parses into `SupplyData`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ivig.clinical.catalog.model import Product


class SupplyInputError(ValueError):
    """Supply data the core cannot use as given (a negative amount, an interval of 0 days...)."""


@dataclass(frozen=True, slots=True)
class ProductInfo:
    slug: str
    name: str
    vial_sizes_g: tuple[float, ...] = ()  # empty: grams are not translated to vials

    @classmethod
    def of(cls, product: Product) -> ProductInfo:
        """The catalog product's slug, name and labelled vial sizes."""
        return cls(product.slug, product.name, tuple(sorted(v.grams for v in product.vial_sizes)))


@dataclass(frozen=True, slots=True)
class RecurringOrder:
    """A maintenance regimen: `dose_g` every `interval_days`, next due on `next_due` (PI every 3-4 weeks).

    A cycle may be split over `days_per_cycle` consecutive days (CIDP maintenance over 2 days), evenly.
    """

    order_id: str
    patient_id: str
    product: str
    dose_g: float
    interval_days: int
    next_due: date
    until: date | None = None  # the order's last day (planned or past); None = open
    days_per_cycle: int = 1
    started_on: date | None = None  # None: before any history; the backtest skips orders not yet started

    def __post_init__(self) -> None:
        if not self.dose_g > 0:
            raise SupplyInputError(f"order {self.order_id}: the dose must be above 0 g")
        if self.interval_days < 1 or self.days_per_cycle < 1 or self.days_per_cycle > self.interval_days:
            raise SupplyInputError(
                f"order {self.order_id}: interval and days per cycle must be at least 1 day, "
                "and a cycle cannot be longer than the interval"
            )


@dataclass(frozen=True, slots=True)
class CourseDose:
    day: date
    grams: float


@dataclass(frozen=True, slots=True)
class ActiveCourse:
    """A course under way (ITP, GBS, a loading course): the doses still to give, on their days."""

    order_id: str
    patient_id: str
    product: str
    remaining: tuple[CourseDose, ...]

    def __post_init__(self) -> None:
        if any(not d.grams > 0 for d in self.remaining):
            raise SupplyInputError(f"course {self.order_id}: every remaining dose must be above 0 g")


@dataclass(frozen=True, slots=True)
class Appointment:
    """A booked infusion: `grams` of `product` on `day`; `order_id` links it to its order when known."""

    appointment_id: str
    patient_id: str
    product: str
    day: date
    grams: float
    order_id: str | None = None
    booked_on: date | None = None  # None: known at any time the backtest looks from

    def __post_init__(self) -> None:
        if not self.grams > 0:
            raise SupplyInputError(f"appointment {self.appointment_id}: grams must be above 0")


@dataclass(frozen=True, slots=True)
class UsageRecord:
    """Grams of a product that left the pharmacy (dispensed) on a day: the history the trend comes from."""

    day: date
    product: str
    grams: float
    patient_id: str = ""
    order_id: str | None = None


@dataclass(frozen=True, slots=True)
class StockLot:
    """Vials on hand: `count` vials of `vial_g` g at `location`; expiring at the end of `expires_on`."""

    product: str
    lot: str
    vial_g: float
    count: int
    location: str
    expires_on: date
    quarantined: bool = False

    @property
    def grams(self) -> float:
        return self.vial_g * self.count


@dataclass(frozen=True, slots=True)
class IncomingOrder:
    """Vials on order from the supplier, expected on `expected_on` (expiry unknown until received)."""

    product: str
    vial_g: float
    count: int
    expected_on: date
    expires_on: date | None = None

    @property
    def grams(self) -> float:
        return self.vial_g * self.count


@dataclass(frozen=True, slots=True)
class SupplyData:
    """One site's snapshot on `as_of`: what is planned, booked, used and in stock."""

    as_of: date
    products: tuple[ProductInfo, ...]
    recurring: tuple[RecurringOrder, ...] = ()
    courses: tuple[ActiveCourse, ...] = ()
    appointments: tuple[Appointment, ...] = ()
    usage: tuple[UsageRecord, ...] = ()
    stock: tuple[StockLot, ...] = ()
    incoming: tuple[IncomingOrder, ...] = ()
    site: str = ""

    def product(self, slug: str) -> ProductInfo:
        for info in self.products:
            if info.slug == slug:
                return info
        return ProductInfo(slug, slug)

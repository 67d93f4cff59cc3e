"""Read stock: which lots to take vials from, and which expire soon."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ivig.inventory.models import Location, Lot, LotQuerySet, StockProduct


@dataclass(frozen=True)
class LotPick:
    lot: Lot
    vials: int


def suggest_lots(
    product: StockProduct, vials_needed: int, today: date, location: Location | None = None
) -> list[LotPick]:
    """Pick vials first-expiry-first-out from available, unexpired lots with stock at the location (the
    default pharmacy, which orders are dispensed from, unless told).

    The picks may cover fewer vials than needed when stock is short; the caller compares the total.
    """
    picks: list[LotPick] = []
    still_needed = vials_needed
    for lot in Lot.objects.usable_on(today, location=location).filter(product=product):
        if still_needed <= 0:
            break
        take = min(lot.on_hand_vials, still_needed)
        picks.append(LotPick(lot=lot, vials=take))
        still_needed -= take
    return picks


# Expiry alerts on the stock page: lots with stock expiring within each of these many days (issue 7).
EXPIRY_ALERT_DAYS = (30, 60, 90)


@dataclass(frozen=True)
class ExpiryBand:
    """Lots with stock whose expiry falls in one alert band; `within_days` None means already expired."""

    label: str
    within_days: int | None
    lots: list[Lot]

    @property
    def vials(self) -> int:
        return sum(lot.on_hand_vials for lot in self.lots)


def expiry_alerts(today: date, location: Location | None = None) -> list[ExpiryBand]:
    """Lots with vials on hand (at the location, or anywhere) that have expired or expire within 90 days,
    in bands: expired, 0-30, 31-60, 61-90 days. Recalled lots are left out: they are never used."""
    lots = list(expiring_by(today + timedelta(days=EXPIRY_ALERT_DAYS[-1]), location=location))
    bands = [ExpiryBand("Expired", None, [lot for lot in lots if lot.expiry_date < today])]
    low = 0
    for high in EXPIRY_ALERT_DAYS:
        label = f"Expires within {high} days" if low == 0 else f"Expires in {low + 1}-{high} days"
        first = low if low == 0 else low + 1
        bands.append(
            ExpiryBand(label, high, [lot for lot in lots if first <= (lot.expiry_date - today).days <= high])
        )
        low = high
    return bands


def expiring_by(day: date, location: Location | None = None) -> LotQuerySet:
    """Lots with vials on hand (at the location, or anywhere) that have expired or expire by `day`, first to
    expire first; recalled lots left out (never used). A queryset, so a panel can count them and take the
    first few without loading every lot (a site's history may hold thousands)."""
    return (
        Lot.objects.with_stock(in_stock_only=True, location=location)
        .filter(expiry_date__lte=day)
        .exclude(status=Lot.Status.RECALLED)
        .select_related("product")
        .order_by("expiry_date", "lot_number")
    )


def usable_vials_by_size(today: date) -> dict[tuple[str, str], tuple[str, int]]:
    """(catalog slug, vial size in g as text) -> (product name, vials usable today at the default pharmacy):
    the lots `usable_on` dispenses from, read as (product, vials) pairs rather than whole lots."""
    vials: dict[int, int] = {}
    for lot in Lot.objects.usable_on(today).only("product_id"):
        vials[lot.product_id] = vials.get(lot.product_id, 0) + lot.on_hand_vials
    usable: dict[tuple[str, str], tuple[str, int]] = {}
    for product in StockProduct.objects.filter(pk__in=vials):
        key = (product.catalog_slug, f"{product.vial_size_g.normalize():f}")
        name, count = usable.get(key, (str(product), 0))
        usable[key] = (name, count + vials[product.pk])
    return usable

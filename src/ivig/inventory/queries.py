"""Read stock: which lots to take vials from, and which expire soon."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ivig.inventory.models import Location, Lot, StockProduct


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
    horizon = today + timedelta(days=EXPIRY_ALERT_DAYS[-1])
    lots = list(
        Lot.objects.with_stock(in_stock_only=True, location=location)
        .filter(expiry_date__lte=horizon)
        .exclude(status=Lot.Status.RECALLED)
        .select_related("product")
        .order_by("expiry_date", "lot_number")
    )
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

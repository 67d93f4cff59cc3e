"""Read stock: which lots to take vials from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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

"""The one place stock changes: a ledger row and the (lot, location) balance, together.

`move` is called inside the actions' transactions, after they have locked the lot row, so every movement of
one lot is serialised in the same order (lot first, then balances) and two writers cannot deadlock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import F, Model

from ivig.audit.events import record
from ivig.inventory.models import Location, Lot, LotBalance, StockMovement, StockTransfer
from ivig.lib.refusals import ActionRefused

if TYPE_CHECKING:
    from ivig.accounts.models import User


class StockError(ActionRefused):
    """A stock action was refused; the message is meant for the pharmacist."""


def lock_lot(lot: Lot) -> Lot:
    """Re-read the lot under a row lock (a no-op on SQLite, whose IMMEDIATE transactions queue writers)."""
    return Lot.objects.select_for_update().select_related("product").get(pk=lot.pk)


def balance_at(lot: Lot, location: Location) -> int:
    found = LotBalance.objects.filter(lot=lot, location=location).values_list("on_hand_vials", flat=True)
    return next(iter(found), 0)


def move(
    *,
    lot: Lot,
    location: Location,
    kind: str,
    quantity_vials: int,
    by: User,
    reason: str = "",
    reason_code: str = "",
    reference: str = "",
    transfer: StockTransfer | None = None,
) -> StockMovement:
    """Write one ledger row and change the balance by the same amount, or refuse if stock would go negative.

    Callers are atomic, so the row and the balance commit together or not at all.
    """
    if quantity_vials > 0:
        # The first vials of a lot at a place make its balance row; a concurrent first arrival is ignored
        # (ON CONFLICT DO NOTHING / INSERT OR IGNORE) and both then add to the same row.
        LotBalance.objects.bulk_create([LotBalance(lot=lot, location=location)], ignore_conflicts=True)
    # The WHERE clause re-reads the balance at UPDATE time: on PostgreSQL a second writer waits for the
    # first and then finds too few vials; on SQLite IMMEDIATE transactions queue whole writers.
    changed = LotBalance.objects.filter(
        lot=lot, location=location, on_hand_vials__gte=max(-quantity_vials, 0)
    ).update(on_hand_vials=F("on_hand_vials") + quantity_vials)
    if changed != 1:
        left = balance_at(lot, location)
        where = "" if location.is_default else f" at {location.name}"
        raise StockError(
            f"Lot {lot.lot_number} has {left} vial{'s' if left != 1 else ''} left{where}; "
            f"{-quantity_vials} were asked for."
        )
    return StockMovement.objects.create(
        lot=lot,
        location=location,
        kind=kind,
        quantity_vials=quantity_vials,
        reason=reason[:200],
        reason_code=reason_code,
        reference=reference[:100],
        transfer=transfer,
        recorded_by=by,
    )


Fields = dict[str, Any] | None  # an audit event's before or after values


def log_stock(
    action: str, by: User, target: Model, summary: str, after: Fields = None, before: Fields = None
) -> None:
    """The audit event of a stock change (`stock.<action>`): stock belongs to no patient."""
    record(action=f"stock.{action}", by=by, target=target, summary=summary, before=before, after=after)

"""Write stock between and at locations: transfers, wastage, counts, and the locations themselves.

Each function is one transaction, locks the lot rows it changes (in primary-key order) before any balance,
and leaves an audit event. Stock changes go through `ledger.move`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ivig import clock
from ivig.clinical.identity import bidi_problem
from ivig.inventory.ledger import StockError, balance_at, lock_lot, log_stock, move
from ivig.inventory.models import Location, Lot, StockCount, StockMovement, StockTransfer

if TYPE_CHECKING:
    from ivig.accounts.models import User

Reason = StockMovement.ReasonCode
WASTE_REASONS = (
    Reason.EXPIRED,
    Reason.DAMAGED,
    Reason.COLD_CHAIN,
    Reason.NOT_GIVEN,
    Reason.RECALLED,
    Reason.OTHER,
)


@transaction.atomic
def transfer_stock(
    *,
    by: User,
    lot: Lot,
    from_location: Location,
    to_location: Location,
    quantity_vials: int,
    note: str = "",
    today: date | None = None,
) -> StockTransfer:
    """Move vials of a lot between two places: one transfer, a row out of one and a row into the other."""
    today = today or clock.localdate()
    lot = lock_lot(lot)
    if quantity_vials < 1:
        raise StockError("Move at least one vial.")
    if from_location.pk == to_location.pk:
        raise StockError("Choose two different locations.")
    if not to_location.active:
        raise StockError(f"{to_location} is no longer in use.")
    if to_location.kind != Location.Kind.PHARMACY:
        # Held or expired vials may only go back to a pharmacy (to be returned or destroyed), never out.
        if lot.status != Lot.Status.AVAILABLE:
            raise StockError(
                f"Lot {lot.lot_number} is {lot.get_status_display().lower()}: "
                "it can only go back to a pharmacy."
            )
        if lot.expired_on(today):
            raise StockError(
                f"Lot {lot.lot_number} expired on {lot.expiry_date:%Y-%m-%d}: do not send it out."
            )
    transfer = StockTransfer.objects.create(
        lot=lot,
        from_location=from_location,
        to_location=to_location,
        quantity_vials=quantity_vials,
        note=note.strip()[:200],
        recorded_by=by,
    )
    reference = f"Transfer {transfer.pk}"
    for location, kind, vials in (
        (from_location, StockMovement.Kind.TRANSFER_OUT, -quantity_vials),
        (to_location, StockMovement.Kind.TRANSFER_IN, quantity_vials),
    ):
        move(
            lot=lot,
            location=location,
            kind=kind,
            quantity_vials=vials,
            by=by,
            reference=reference,
            transfer=transfer,
        )
    log_stock(
        "transfer",
        by,
        lot,
        f"Moved {quantity_vials} vials of {lot} from {from_location} to {to_location}",
        {
            "transfer_id": transfer.pk,
            "from": from_location.name,
            "to": to_location.name,
            "quantity_vials": quantity_vials,
            "note": transfer.note,
        },
    )
    return transfer


@transaction.atomic
def waste_stock(
    *, by: User, lot: Lot, location: Location, quantity_vials: int, reason_code: str, details: str = ""
) -> StockMovement:
    """Take vials out of stock because they cannot be used, with the reason."""
    lot = lock_lot(lot)
    details = details.strip()
    if quantity_vials < 1:
        raise StockError("Record at least one vial.")
    if reason_code not in WASTE_REASONS:
        raise StockError("Choose why the vials were wasted.")
    if reason_code == Reason.OTHER and not details:
        raise StockError("Say what happened to the vials.")
    label = Reason(reason_code).label
    movement = move(
        lot=lot,
        location=location,
        kind=StockMovement.Kind.WASTE,
        quantity_vials=-quantity_vials,
        by=by,
        reason=f"{label}: {details}" if details else label,
        reason_code=reason_code,
    )
    log_stock(
        "waste",
        by,
        lot,
        f"Wasted {quantity_vials} vials of {lot} at {location}: {movement.reason}",
        {"location": location.name, "quantity_vials": quantity_vials, "reason": movement.reason},
    )
    return movement


@dataclass(frozen=True)
class CountLine:
    """One lot on a count sheet: the ledger's balance the counter saw, and the vials they counted."""

    lot: Lot
    expected_vials: int
    counted_vials: int


@transaction.atomic
def reconcile_count(*, by: User, location: Location, lines: list[CountLine], reason: str) -> list[StockCount]:
    """Record a count at a location; each difference from the ledger becomes an adjustment, all or nothing.

    If a lot's balance changed after the count sheet was made (a dispense while counting), the count is
    refused for that lot, since the vials counted and the ledger no longer describe the same moment.
    """
    reason = reason.strip()
    if not lines:
        raise StockError("Enter at least one count.")
    if len({line.lot.pk for line in lines}) != len(lines):
        raise StockError("Each lot can be counted once per count.")
    counts = []
    for line in sorted(lines, key=lambda line: line.lot.pk):
        lot = lock_lot(line.lot)
        if line.counted_vials < 0:
            raise StockError(f"Lot {lot.lot_number}: a count cannot be negative.")
        now = balance_at(lot, location)
        if now != line.expected_vials:
            raise StockError(
                f"Lot {lot.lot_number} changed while you counted (the ledger said {line.expected_vials}, "
                f"now {now}): count it again."
            )
        difference = line.counted_vials - now
        adjustment = None
        if difference:
            if not reason:
                raise StockError(
                    "Say why the count differs from the ledger (for example: found in fridge 2)."
                )
            adjustment = move(
                lot=lot,
                location=location,
                kind=StockMovement.Kind.ADJUST,
                quantity_vials=difference,
                by=by,
                reason=f"Count: {reason}",
                reason_code=Reason.COUNT,
            )
        counts.append(
            StockCount.objects.create(
                lot=lot,
                location=location,
                expected_vials=now,
                counted_vials=line.counted_vials,
                reason=reason[:200] if difference else "",
                adjustment=adjustment,
                counted_by=by,
            )
        )
    differences = {c.lot.lot_number: c.difference_vials for c in counts if c.difference_vials}
    log_stock(
        "count",
        by,
        location,
        f"Counted {len(counts)} lots at {location}; {len(differences)} differed",
        {"counted": {c.lot.lot_number: c.counted_vials for c in counts}, "differences": differences},
    )
    return counts


@transaction.atomic
def save_location(
    *,
    by: User,
    name: str,
    kind: str,
    nurse: Any = None,
    active: bool = True,
    location: Location | None = None,
) -> Location:
    """Add a location, or change one; a location still holding stock, or the default, stays in use."""
    target = location or Location()
    before = {"name": target.name, "kind": target.kind, "active": target.active} if location else {}
    if location is not None:
        target = Location.objects.select_for_update().get(pk=location.pk)
        if not active and target.is_default:
            raise StockError(f"{target} is where orders are dispensed from: it stays in use.")
        if not active and target.balances.filter(on_hand_vials__gt=0).exists():
            raise StockError(f"{target} still holds stock: move or count it out first.")
    problem = bidi_problem(name, "location name")
    if problem:
        raise StockError(problem)
    target.name, target.kind, target.active = name.strip(), kind, active
    target.nurse = nurse if kind == Location.Kind.HOME_NURSE else None
    try:
        target.full_clean(validate_constraints=False)
        with transaction.atomic():
            target.save()
    except ValidationError as error:
        raise StockError(" ".join(error.messages)) from None
    except IntegrityError:
        raise StockError(
            "Check the location: its name must be new, and a home-infusion location needs its nurse."
        ) from None
    log_stock(
        "location_change" if location else "location_add",
        by,
        target,
        f"Location {target}",
        {"name": target.name, "kind": target.kind, "active": target.active, "nurse": str(nurse or "")},
        before=before,
    )
    return target

"""Write stock. Each function is one transaction and leaves an audit event.

Every change of stock goes through `ledger.move`, which writes the ledger row and changes the (lot, location)
balance together; the balance is taken with a conditional UPDATE, so two pharmacists taking the last vials
at the same moment cannot both succeed. Transfers, wastage and counts are in `location_actions`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ivig import clock
from ivig.clinical.identity import bidi_problem
from ivig.inventory.gs1 import GS1Error, VialLabel, parse_vial_label
from ivig.inventory.ledger import StockError as StockError
from ivig.inventory.ledger import lock_lot, log_stock, move
from ivig.inventory.models import Location, Lot, StockMovement, StockProduct

if TYPE_CHECKING:
    from ivig.accounts.models import User


def read_scan(text: str) -> VialLabel:
    """Parse a vial barcode with the site's group separator replacement; raise StockError if unreadable."""
    try:
        return parse_vial_label(text, separator_replacement=settings.IVIG_GS1_SEPARATOR_REPLACEMENT)
    except GS1Error as error:
        raise StockError(str(error)) from None


@transaction.atomic
def register_product(
    *, by: User, catalog_slug: str, vial_size_g: Decimal, gtin: str | None = None
) -> StockProduct:
    product = StockProduct(catalog_slug=catalog_slug, vial_size_g=vial_size_g, gtin=gtin or None)
    product.full_clean()
    product.save()
    log_stock(
        "product_register",
        by,
        product,
        f"Stocks {product}",
        {"catalog_slug": catalog_slug, "vial_size_g": vial_size_g, "gtin": product.gtin},
    )
    return product


@transaction.atomic
def receive_stock(
    *,
    by: User,
    quantity_vials: int,
    scan: str = "",
    product: StockProduct | None = None,
    gtin: str | None = None,
    lot_number: str = "",
    expiry_date: date | None = None,
    reference: str = "",
    today: date | None = None,
    location: Location | None = None,
) -> StockMovement:
    """Add vials to a lot at a location (the default pharmacy unless told), creating the lot on its first
    delivery. Give a scan, or the typed fields."""
    today = today or clock.localdate()
    location = location or Location.default()
    if not location.active:
        raise StockError(f"{location} is no longer in use: receive the stock somewhere else.")
    if scan:
        label = read_scan(scan)
        gtin, lot_number, expiry_date = label.gtin, label.lot_number, label.expiry_date
    if quantity_vials < 1:
        raise StockError("Receive at least one vial.")
    lot_number = lot_number.strip().upper()
    problem = bidi_problem(lot_number, "lot number")
    if problem:
        raise StockError(problem)
    if not lot_number or expiry_date is None:
        raise StockError("Give the lot number and the expiry date, or scan the vial.")
    if expiry_date < today:
        raise StockError(f"Lot {lot_number} expired on {expiry_date:%Y-%m-%d}: do not receive it.")
    product = _product_for(by=by, product=product, gtin=gtin)
    lot = _existing_lot(product, lot_number) or _first_delivery(
        product=product, gtin=gtin or product.gtin, lot_number=lot_number, expiry_date=expiry_date
    )
    if lot.expiry_date != expiry_date:
        raise StockError(
            f"Lot {lot_number} is already recorded with expiry {lot.expiry_date:%Y-%m-%d}, "
            f"not {expiry_date:%Y-%m-%d}: check the label."
        )
    if lot.status == Lot.Status.RECALLED:
        raise StockError(f"Lot {lot_number} has been recalled: do not receive it.")
    reference = reference.strip()
    if reference:
        _refuse_a_second_receipt(lot=lot, reference=reference)
    movement = move(
        lot=lot,
        location=location,
        kind=StockMovement.Kind.RECEIVE,
        quantity_vials=quantity_vials,
        by=by,
        reference=reference,
    )
    log_stock(
        "receive",
        by,
        lot,
        f"Received {quantity_vials} vials of {lot} at {location}",
        {
            "location": location.name,
            "lot_number": lot_number,
            "expiry_date": expiry_date,
            "quantity_vials": quantity_vials,
            "gtin": lot.gtin,
            "reference": reference,
            "movement_id": movement.pk,
        },
    )
    return movement


def _refuse_a_second_receipt(*, lot: Lot, reference: str) -> None:
    """Refuse the lot's delivery note if it was received already: a double click, two tabs or two people
    scanning the same box (issue 22). A delivery note lists each lot once, with all its vials.

    The lot row is locked (select_for_update, or made in this transaction): a second receipt of the same
    note waits for the first to commit and then finds it, on PostgreSQL and on SQLite (whose IMMEDIATE
    transactions queue whole writers). Receipts with no delivery note are not checked: nothing says they
    are the same delivery.
    """
    earlier = (
        StockMovement.objects.filter(lot=lot, kind=StockMovement.Kind.RECEIVE, reference__iexact=reference)
        .select_related("recorded_by")
        .first()
    )
    if earlier is not None:
        when = f"{timezone.localtime(earlier.recorded_at):%Y-%m-%d %H:%M}"
        who = earlier.recorded_by.get_username()
        raise StockError(
            f"Lot {lot.lot_number} on delivery note {reference} was already received "
            f"({earlier.quantity_vials} vials, by {who} at {when}): "
            "nothing was added. If the note lists more vials of this lot, count the stock to correct it."
        )


def _existing_lot(product: StockProduct, lot_number: str) -> Lot | None:
    return Lot.objects.select_for_update().filter(product=product, lot_number=lot_number).first()


def _first_delivery(*, product: StockProduct, gtin: str | None, lot_number: str, expiry_date: date) -> Lot:
    """Create a lot; if another delivery of it committed first, use that lot instead."""
    lot = Lot(product=product, gtin=gtin, lot_number=lot_number, expiry_date=expiry_date)
    try:
        # Uniqueness is left to the database: a check here could pass for two deliveries at once.
        lot.full_clean(validate_constraints=False)
    except ValidationError as error:
        raise StockError(" ".join(error.messages)) from None
    try:
        with transaction.atomic():  # a savepoint: the outer receipt goes on after a conflict
            lot.save()
    except IntegrityError:
        existing = _existing_lot(product, lot_number)
        if existing is None:
            raise StockError(
                f"Lot {lot_number} with GTIN {gtin} is already recorded for another product: check the label."
            ) from None
        return existing
    return lot


def _product_for(*, by: User, product: StockProduct | None, gtin: str | None) -> StockProduct:
    """Find the product a GTIN belongs to; a chosen product without a GTIN learns the scanned one."""
    known = StockProduct.objects.filter(gtin=gtin).first() if gtin else None
    if known is not None:
        if product is not None and product.pk != known.pk:
            raise StockError(f"GTIN {gtin} belongs to {known}, not to {product}.")
        return known
    if product is None:
        raise StockError(f"GTIN {gtin} is not registered: choose the product and vial size it is for.")
    if gtin:
        product = StockProduct.objects.select_for_update().get(pk=product.pk)
        if product.gtin:
            raise StockError(f"{product} has GTIN {product.gtin}; the scanned GTIN is {gtin}.")
        product.gtin = gtin
        product.save(update_fields=["gtin"])
        log_stock(
            "product_gtin", by, product, f"GTIN {gtin} for {product}", {"gtin": gtin}, before={"gtin": None}
        )
    return product


@transaction.atomic
def dispense(
    *,
    by: User,
    lot: Lot,
    quantity_vials: int,
    reference: str,
    today: date | None = None,
    location: Location | None = None,
) -> StockMovement:
    """Take vials out of a lot for an order, from the default pharmacy unless told; refuse expired, held or
    short lots."""
    today = today or clock.localdate()
    location = location or Location.default()
    # Lock the lot so a recall or quarantine cannot commit between the status check and the dispense.
    lot = lock_lot(lot)
    if quantity_vials < 1:
        raise StockError("Dispense at least one vial.")
    if lot.status != Lot.Status.AVAILABLE:
        raise StockError(f"Lot {lot.lot_number} is {lot.get_status_display().lower()}: do not dispense it.")
    if lot.expired_on(today):
        raise StockError(f"Lot {lot.lot_number} expired on {lot.expiry_date:%Y-%m-%d}: do not dispense it.")
    movement = move(
        lot=lot,
        location=location,
        kind=StockMovement.Kind.DISPENSE,
        quantity_vials=-quantity_vials,
        by=by,
        reference=reference,
    )
    log_stock(
        "dispense",
        by,
        lot,
        f"Dispensed {quantity_vials} vials of {lot} from {location} for {reference}",
        {
            "quantity_vials": quantity_vials,
            "reference": reference,
            "location": location.name,
            "movement_id": movement.pk,
        },
    )
    return movement


@transaction.atomic
def quarantine_lot(*, by: User, lot: Lot, reason: str) -> Lot:
    """Hold a lot: nothing is dispensed from it until it is released."""
    return _set_status(
        by=by, lot=lot, status=Lot.Status.QUARANTINED, reason=reason, allowed_from=(Lot.Status.AVAILABLE,)
    )


@transaction.atomic
def release_lot(*, by: User, lot: Lot, reason: str) -> Lot:
    """End a quarantine: the lot may be dispensed again."""
    return _set_status(
        by=by, lot=lot, status=Lot.Status.AVAILABLE, reason=reason, allowed_from=(Lot.Status.QUARANTINED,)
    )


@transaction.atomic
def recall_lot(*, by: User, lot: Lot, reason: str) -> Lot:
    """Recall a lot for good: it is never dispensed or received again."""
    return _set_status(
        by=by,
        lot=lot,
        status=Lot.Status.RECALLED,
        reason=reason,
        allowed_from=(Lot.Status.AVAILABLE, Lot.Status.QUARANTINED),
    )


@transaction.atomic
def quarantine_lots(*, by: User, lots: list[Lot], reason: str) -> list[Lot]:
    """Hold every given lot at once, wherever its vials are; all or nothing.

    A lot's status holds its stock at every location, so one locked status change per lot stops every
    dispense and transfer out to patients. Lots already quarantined or recalled are left as they are.
    Returns the lots this call quarantined.
    """
    if not reason.strip():
        raise StockError("Give a reason.")
    held = []
    for lot in sorted(lots, key=lambda lot: lot.pk):  # one lock order, so two recalls cannot deadlock
        locked = lock_lot(lot)
        if locked.status == Lot.Status.AVAILABLE:
            held.append(
                _set_status(
                    by=by,
                    lot=locked,
                    status=Lot.Status.QUARANTINED,
                    reason=reason,
                    allowed_from=(Lot.Status.AVAILABLE,),
                )
            )
    return held


def _set_status(*, by: User, lot: Lot, status: str, reason: str, allowed_from: tuple[str, ...]) -> Lot:
    reason = reason.strip()
    if not reason:
        raise StockError("Give a reason.")
    lot = lock_lot(lot)
    if lot.status not in allowed_from:
        raise StockError(f"Lot {lot.lot_number} is {lot.get_status_display().lower()}.")
    before = lot.status
    lot.status, lot.status_reason = status, reason[:200]
    lot.save(update_fields=["status", "status_reason"])
    log_stock(
        f"lot_{status}",
        by,
        lot,
        f"Lot {lot.lot_number} {lot.get_status_display().lower()}: {reason}",
        {
            "status": status,
            "reason": reason,
            "vials_by_location": {
                balance.location.name: balance.on_hand_vials
                for balance in lot.balances.select_related("location").filter(on_hand_vials__gt=0)
            },
        },
        before={"status": before},
    )
    return lot

"""Bedside vial checks: each vial's GS1 barcode (or its typed text or lot) against what was dispensed.

A vial must be of a lot dispensed for this order, of the same product (GTIN), in date by both the label and
the lot record, not recalled or quarantined, one of the vials the verified plan lists for this day of the
course (a vial beyond the day's set would leave a later day short), and not one more than the pharmacy
dispensed. Any mismatch is a hard stop: the scan is kept as refused, with the reason, in the record and the
audit trail.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction

from ivig import clock
from ivig.clinical.infusion.day_vials import check_day_vial, day_needs, size_key
from ivig.infusions.events import InfusionError, lock_session, log
from ivig.infusions.identity import require_identity
from ivig.infusions.models import InfusionSession, VialScan
from ivig.inventory.actions import StockError, read_scan
from ivig.inventory.models import Lot, StockProduct
from ivig.orders.models import DispensedLot

if TYPE_CHECKING:
    from ivig.accounts.models import User

SCANNABLE = (
    InfusionSession.Status.CHECKLIST,
    InfusionSession.Status.READY,
    InfusionSession.Status.RUNNING,
    InfusionSession.Status.PAUSED,
)


class _Refused(Exception):
    pass


@transaction.atomic
def scan_vial(
    *,
    by: User,
    session: InfusionSession,
    at: datetime | None = None,
    text: str = "",
    lot_number: str = "",
    expiry_date: date | None = None,
) -> VialScan:
    """Check one vial; return the scan, accepted or refused (a refusal is recorded, not raised)."""
    session = lock_session(session)
    if session.status not in SCANNABLE:
        raise InfusionError("Vials are scanned before and during the infusion.")
    if session.status in (InfusionSession.Status.CHECKLIST, InfusionSession.Status.READY):
        require_identity(session)  # the vial is checked against a patient: identify them first (s16)
    at = at or clock.now()
    scan = VialScan(session=session, scanned_by=by, scanned_at=at, accepted=False)
    if text.strip():
        scan.entry, scan.raw = "scan", text.strip()[:200]
    elif lot_number.strip() and expiry_date is not None:
        scan.entry, scan.lot_number, scan.expiry_date = "typed", lot_number.strip()[:20], expiry_date
    else:
        raise InfusionError("Scan the vial, or type its lot number and expiry date.")
    try:
        if scan.entry == "scan":
            try:
                label = read_scan(text)
            except StockError as error:
                raise _Refused(f"Not readable: {error}") from None
            scan.gtin, scan.lot_number, scan.expiry_date = label.gtin, label.lot_number, label.expiry_date
            scan.serial = label.serial or ""
        scan.lot = _check(session, scan)
        scan.accepted = True
    except _Refused as refusal:
        scan.lot, scan.refusal = None, str(refusal)[:300]
    scan.save()
    if scan.accepted:
        assert scan.lot is not None
        log(
            session,
            "vial_scan",
            f"vial accepted: {scan.lot} (exp. {scan.lot.expiry_date:%Y-%m-%d}, "
            f"{scan.get_entry_display().lower()})",
            by=by,
            at=at,
            after={"scan_id": scan.pk, "lot_id": scan.lot_id},
        )
    else:
        log(
            session,
            "vial_refused",
            f"vial REFUSED ({scan.lot_number or scan.raw}): {scan.refusal}",
            by=by,
            at=at,
            after={"scan_id": scan.pk, "raw": scan.raw, "gtin": scan.gtin, "lot": scan.lot_number},
        )
    return scan


def _check(session: InfusionSession, scan: VialScan) -> Lot:
    order = session.order
    dispensed = list(DispensedLot.objects.filter(order=order).select_related("lot__product"))
    names = ", ".join(sorted({d.lot.lot_number for d in dispensed})) or "none"
    if scan.entry == "typed":
        matches = [d for d in dispensed if d.lot.lot_number.upper() == scan.lot_number.upper()]
    else:
        matches = [d for d in dispensed if d.lot.lot_number == scan.lot_number]
    if not matches:
        other = _product_of_gtin(scan.gtin)
        if other is not None and other.catalog_slug != order.verified_product_slug:
            raise _Refused(
                f"Wrong product: this vial is {other}, the order is for {order.verified_product_slug}."
            )
        raise _Refused(
            f"Wrong lot: lot {scan.lot_number} was not dispensed for {order.reference} (dispensed: {names})."
        )
    lot = matches[0].lot
    if scan.entry == "scan":
        on_file = lot.gtin or lot.product.gtin
        if not on_file:
            raise _Refused(
                f"The GTIN of lot {lot.lot_number} is not on file, so the product cannot be checked: the "
                "pharmacy must "
                "register the product's GTIN."
            )
        if scan.gtin != on_file:
            other = _product_of_gtin(scan.gtin)
            what = str(other) if other is not None else f"GTIN {scan.gtin}"
            raise _Refused(
                f"Wrong product: this vial is {what}; lot {lot.lot_number} dispensed is {lot.product}."
            )
    today = clock.localdate()
    if scan.expiry_date is not None and scan.expiry_date != lot.expiry_date:
        raise _Refused(
            f"The vial's expiry {scan.expiry_date:%Y-%m-%d} is not the lot record's "
            f"{lot.expiry_date:%Y-%m-%d}: "
            "do not use it; "
            "tell the pharmacy."
        )
    if lot.expired_on(today):
        raise _Refused(f"Expired: lot {lot.lot_number} expired on {lot.expiry_date:%Y-%m-%d}.")
    if lot.status == Lot.Status.RECALLED:
        raise _Refused(f"Recalled: lot {lot.lot_number} ({lot.status_reason or 'recall'}).")
    if lot.status == Lot.Status.QUARANTINED:
        raise _Refused(f"In quarantine: lot {lot.lot_number} ({lot.status_reason or 'on hold'}).")
    accepted = VialScan.objects.filter(session__order=order, accepted=True, lot=lot)
    if scan.serial and accepted.filter(serial=scan.serial).exists():
        raise _Refused(f"This vial (serial {scan.serial}) was already scanned.")
    quantity = sum(d.quantity_vials for d in matches)
    if accepted.count() >= quantity:
        raise _Refused(
            f"All {quantity} vial(s) of lot {lot.lot_number} dispensed for {order.reference} are already "
            "scanned."
        )
    # After the lot count: a vial beyond what was dispensed is the graver refusal to show.
    today_set = check_day_vial(
        session.day_number,
        day_needs(session.plan_day.get("vials", [])),
        scanned_today(session),
        lot.product.vial_size_g,
    )
    if not today_set.allowed:
        raise _Refused(today_set.message)
    return lot


def scanned_today(session: InfusionSession) -> Counter[Decimal]:
    """Vial sizes accepted for this session, the day's scans so far."""
    scans = session.scans.all()
    if "scans" not in getattr(session, "_prefetched_objects_cache", {}):  # the flowsheet has them with lots
        scans = scans.select_related("lot__product")
    return Counter(
        size_key(scan.lot.product.vial_size_g) for scan in scans if scan.accepted and scan.lot is not None
    )


def _product_of_gtin(gtin: str) -> StockProduct | None:
    if not gtin:
        return None
    product = StockProduct.objects.filter(gtin=gtin).first()
    if product is None:
        lot = Lot.objects.filter(gtin=gtin).select_related("product").first()
        product = lot.product if lot else None
    return product

"""The flowsheet as a lookback source: every vial scanned and accepted at a centre or home infusion.

A bedside scan (`ivig.infusions.models.VialScan`) is the proof that a vial of a lot was opened for a
patient, wherever the infusion took place. Every accepted scan counts, whatever happened to the vial
afterwards: a vial partly given and the rest wasted still exposed the patient to the lot.

Grams given from a lot: an ended infusion knows the volume given (pump record); at the product's
concentration that is the grams given in the session. Vials are taken to be hung in the order they were
scanned, so the session's grams fill the first vials in full and the vial where they run out is the partly
used one (the rest of it wasted). Before the infusion ends the grams given are not known yet: the row shows
the grams in the vials opened, and its status says the infusion is still going.

One query for all the lots: the accepted scans of every session that opened a vial of one of the lots
(all of that session's scans, since the earlier vials decide how much of a recalled vial was given), with
the patient, site and order in the same rows (`values_list`, no model instances).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any

from ivig.hemovigilance.lookback import Recipient
from ivig.infusions.models import InfusionSession, VialScan
from ivig.inventory.models import Lot, catalog_product

SETTINGS = dict(InfusionSession.Setting.choices)
STATUSES = dict(InfusionSession.Status.choices)
GIVEN_KNOWN = (InfusionSession.Status.ENDED, InfusionSession.Status.COMPLETED)


@cache
def concentration_g_per_ml(catalog_slug: str) -> Decimal | None:
    """The product's concentration from the clinical catalog (its label), or None when not on file."""
    product = catalog_product(catalog_slug)
    if product is None or product.concentration_g_per_100ml.value is None:
        return None
    return Decimal(str(product.concentration_g_per_100ml.value)) / 100


@dataclass(slots=True)
class _Vial:
    lot_id: int
    size_g: Decimal
    given_g: Decimal | None  # None: not known yet


def _allocate(vials: list[_Vial], given_g: Decimal | None) -> None:
    """Fill the vials in scan order with the grams given; the rest of the last one opened was wasted."""
    left = given_g
    for vial in vials:
        if left is None:
            vial.given_g = None
            continue
        vial.given_g = min(vial.size_g, max(left, Decimal(0)))
        left -= vial.size_g


class InfusionSource:
    """Vials scanned at the bedside, in a centre chair or at a home visit."""

    label = "Infusion"

    def recipients(self, lots: dict[int, Lot]) -> list[Recipient]:
        sessions: dict[int, tuple[Any, ...]] = {}
        vials: dict[int, list[_Vial]] = {}
        for row in _scan_rows().filter(
            session_id__in=VialScan.objects.filter(accepted=True, lot_id__in=list(lots)).values("session_id")
        ):
            session_id, lot_id, size_g = row[0], row[1], row[2]
            sessions.setdefault(session_id, row)
            vials.setdefault(session_id, []).append(_Vial(lot_id, size_g, None))
        found = []
        for session_id, row in sessions.items():
            found.extend(self._session_receipts(row, vials[session_id], lots))
        return found

    def _session_receipts(
        self, row: tuple[Any, ...], vials: list[_Vial], lots: dict[int, Lot]
    ) -> list[Recipient]:
        (session_id, _lot, _size, patient_id, mrn, given, family, born, site, phone, setting, place, status,
         started_at, first_scan_at, volume_ml, day, order_id, series_id, version) = row  # fmt: skip
        recalled = [vial for vial in vials if vial.lot_id in lots]
        concentration = concentration_g_per_ml(lots[recalled[0].lot_id].product.catalog_slug)
        given_g = None
        if status in GIVEN_KNOWN and volume_ml is not None and concentration is not None:
            given_g = volume_ml * concentration
        _allocate(vials, given_g)
        by_lot: dict[int, list[_Vial]] = {}
        for vial in recalled:
            by_lot.setdefault(vial.lot_id, []).append(vial)
        when: datetime | None = started_at or first_scan_at
        receipts = []
        for lot_id, opened in by_lot.items():
            opened_g = sum((vial.size_g for vial in opened), Decimal(0))
            known = all(vial.given_g is not None for vial in opened)
            grams = sum((vial.given_g or Decimal(0) for vial in opened), Decimal(0)) if known else opened_g
            receipts.append(
                Recipient(
                    source=self.label,
                    patient_id=patient_id,
                    mrn=mrn,
                    given_name=given,
                    family_name=family,
                    date_of_birth=born,
                    care_site=site or "",
                    site_phone=phone or "",
                    when=when,
                    lot_id=lot_id,
                    vials=len(opened),
                    grams=grams,
                    reference=f"IG-{series_id or order_id:06d} v{version} day {day}",
                    order_id=order_id,
                    status=STATUSES.get(status, status),
                    setting=SETTINGS.get(setting, setting) + (f" ({place})" if place else ""),
                    session_id=session_id,
                    grams_opened=opened_g,
                    note=_note(opened, known),
                )
            )
        return receipts


def _note(opened: list[_Vial], known: bool) -> str:
    if not known:
        return "infusion not ended: grams given not known yet"
    partly = [vial for vial in opened if vial.given_g is not None and 0 < vial.given_g < vial.size_g]
    unused = [vial for vial in opened if vial.given_g == 0]
    notes = [
        f"partly used vial: {vial.given_g.normalize():f} of {vial.size_g.normalize():f} g given, rest wasted"
        for vial in partly
        if vial.given_g is not None
    ]
    if unused:
        notes.append(f"{len(unused)} vial{'s' if len(unused) > 1 else ''} opened, none given")
    return "; ".join(notes)


@cache
def _scan_rows() -> Any:
    """Every accepted scan with its session, patient, site and order (each lookback adds its sessions)."""
    return (
        VialScan.objects.filter(accepted=True)
        .order_by("session_id", "scanned_at", "id")
        .values_list(
            "session_id",
            "lot_id",
            "lot__product__vial_size_g",
            "session__patient_id",
            "session__patient__mrn",
            "session__patient__given_name",
            "session__patient__family_name",
            "session__patient__date_of_birth",
            "session__patient__care_site__name",
            "session__patient__care_site__phone",
            "session__setting",
            "session__location",
            "session__status",
            "session__started_at",
            "scanned_at",
            "session__volume_given_ml",
            "session__day_number",
            "session__order_id",
            "session__order__series_id",
            "session__order__version",
        )
    )

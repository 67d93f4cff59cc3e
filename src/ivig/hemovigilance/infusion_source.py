"""The flowsheet as a lookback source: every vial scanned and accepted at a centre or home infusion.

A bedside scan (`ivig.infusions.models.VialScan`) is the proof that a vial of a lot was opened for a
patient, wherever the infusion took place. Every accepted scan counts, whatever happened to the vial
afterwards: a vial partly given and the rest wasted still exposed the patient to the lot.

Grams given from a lot: an ended infusion knows the volume given (pump record); at the product's
concentration that is the grams given in the session. Vials are taken to be hung in the order they were
scanned, so the session's grams fill the first vials in full and the vial where they run out is the partly
used one (the rest of it wasted). Before the infusion ends the grams given are not known yet: the row shows
the grams in the vials opened, and its status says the infusion is still going.

One query for all the lots: each accepted scan of one of the lots, with the grams opened in its infusion
before it (a subquery on the session's scans, in scan order), the patient, site and order in the same rows
(`values_list`, no model instances; run as a prepared statement on PostgreSQL, see `lookback.fetch`). The
scans' lot and session foreign-key indexes serve both lookups (nested loops; bench/lookback.py).
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

from django.db.models import OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from ivig.hemovigilance.lookback import Recipient, fetch, patient_fields
from ivig.infusions.models import InfusionSession, VialScan
from ivig.inventory.models import Lot, catalog_product

SETTINGS = dict(InfusionSession.Setting.choices)
STATUSES = dict(InfusionSession.Status.choices)
GIVEN_KNOWN = (InfusionSession.Status.ENDED, InfusionSession.Status.COMPLETED)
ZERO = Decimal(0)


@cache
def concentration_g_per_ml(catalog_slug: str) -> Decimal | None:
    """The product's concentration from the clinical catalog (its label), or None when not on file."""
    product = catalog_product(catalog_slug)
    if product is None or product.concentration_g_per_100ml.value is None:
        return None
    return Decimal(str(product.concentration_g_per_100ml.value)) / 100


class InfusionSource:
    """Vials scanned at the bedside, in a centre chair or at a home visit."""

    label = "Infusion"

    def recipients(self, lots: dict[int, Lot]) -> list[Recipient]:
        per_event: dict[tuple[int, int], Recipient] = {}
        partly: dict[tuple[int, int], list[str]] = {}
        concentration = {
            lot_id: concentration_g_per_ml(lot.product.catalog_slug) for lot_id, lot in lots.items()
        }
        for row in fetch(_scan_rows, list(lots)):
            (session_id, lot_id, size_g, before_g, patient_id, mrn, given, family, born, site, phone, setting,
             place, status, when, volume_ml, day, order_id, series_id, version) = row  # fmt: skip
            vial_given_g = None
            if status in GIVEN_KNOWN and volume_ml is not None and concentration[lot_id] is not None:
                vial_given_g = min(size_g, max(volume_ml * concentration[lot_id] - (before_g or 0), ZERO))
            key = (session_id, lot_id)
            known = per_event.get(key)
            if known is None:
                known = per_event[key] = Recipient(
                    source=self.label,
                    **patient_fields(patient_id, mrn, given, family, born, site, phone),
                    when=when,
                    lot_id=lot_id,
                    vials=0,
                    grams=ZERO,
                    reference=f"IG-{series_id or order_id:06d} v{version} day {day}",
                    order_id=order_id,
                    status=STATUSES.get(status, status),
                    setting=SETTINGS.get(setting, setting) + (f" ({place})" if place else ""),
                    session_id=session_id,
                    grams_opened=ZERO,
                )
                if vial_given_g is None:
                    known.note = f"grams given not recorded (infusion {known.status.lower()})"
            known.vials += 1
            known.grams_opened += size_g
            known.grams += size_g if vial_given_g is None else vial_given_g
            if vial_given_g is not None and vial_given_g < size_g:
                partly.setdefault(key, []).append(_partly(vial_given_g, size_g))
        for key, notes in partly.items():
            per_event[key].note = "; ".join(notes)
        return list(per_event.values())


def _partly(given_g: Decimal, size_g: Decimal) -> str:
    if given_g <= 0:
        return f"{size_g.normalize():f} g vial opened, none given"
    return f"partly used vial: {given_g.normalize():f} of {size_g.normalize():f} g given, rest wasted"


def _scan_rows(lot_ids: list[int]) -> Any:
    """The accepted scans of the lots with their infusion, patient, site, order, and grams opened before."""
    earlier = (
        VialScan.objects.filter(session_id=OuterRef("session_id"), accepted=True)
        .filter(
            Q(scanned_at__lt=OuterRef("scanned_at"))
            | Q(scanned_at=OuterRef("scanned_at"), id__lt=OuterRef("id"))
        )
        .order_by()
        .values("session_id")
        .annotate(grams=Sum("lot__product__vial_size_g"))
        .values("grams")
    )
    return (
        VialScan.objects.filter(accepted=True, lot_id__in=lot_ids)
        .order_by()
        .annotate(before_g=Subquery(earlier), when=Coalesce("session__started_at", "session__created_at"))
        .values_list(
            "session_id",
            "lot_id",
            "lot__product__vial_size_g",
            "before_g",
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
            "when",
            "session__volume_given_ml",
            "session__day_number",
            "session__order_id",
            "session__order__series_id",
            "session__order__version",
        )
    )

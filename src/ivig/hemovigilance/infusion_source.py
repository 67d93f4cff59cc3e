"""The flowsheet as a lookback source: every vial scanned and accepted at a centre or home infusion.

A bedside scan (`ivig.infusions.models.VialScan`) is the proof that a vial of a lot was opened for a
patient, wherever the infusion took place. Every accepted scan counts, whatever happened to the vial
afterwards: a vial partly given and the rest wasted still exposed the patient to the lot.

Grams given from a lot: an ended infusion knows the volume given (pump record); at the product's
concentration that is the grams given in the session. Vials are taken to be hung in the order they were
scanned, so the session's grams fill the first vials in full and the vial where they run out is the partly
used one (the rest of it wasted). Before the infusion ends the grams given are not known yet: the row shows
the grams in the vials opened, and its status says the infusion is still going.

The rows come from the receipt register (`ivig.hemovigilance.receipts`): one per accepted scan, with the
infusion's status, place and volume given, and the grams opened in the infusion before it (in scan order).
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

from ivig.hemovigilance.lookback import Recipient
from ivig.infusions.models import InfusionSession
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


LABEL = "Infusion"


def infusion_receipts(
    rows: list[tuple[Any, ...]], lots: dict[int, Lot], sites: dict[int | None, tuple[str, str]]
) -> list[Recipient]:
    """A recipient per infusion and lot, from the register's scan rows (`receipts._receipt_rows`: the volume
    given and the grams opened before come as text)."""
    per_event: dict[tuple[int, int], Recipient] = {}
    partly: dict[tuple[int, int], list[str]] = {}
    per_lot = {
        lot_id: (lot.product.vial_size_g, concentration_g_per_ml(lot.product.catalog_slug))
        for lot_id, lot in lots.items()
    }
    numbers: dict[str, Decimal] = {}  # the same volumes and grams come back often: parse each once
    for row in rows:
        (session_id, lot_id, patient_id, mrn, given, family, born, site_id, order_id, _, when, status,
         root, version, day, setting, place, volume_ml, before_g) = row  # fmt: skip
        size_g, g_per_ml = per_lot[lot_id]
        vial_given_g = None
        if status in GIVEN_KNOWN and volume_ml is not None and g_per_ml is not None:
            volume = numbers.get(volume_ml) or numbers.setdefault(volume_ml, Decimal(volume_ml))
            before = (
                numbers.get(before_g) or numbers.setdefault(before_g, Decimal(before_g)) if before_g else ZERO
            )
            vial_given_g = min(size_g, max(volume * g_per_ml - before, ZERO))
        key = (session_id, lot_id)
        known = per_event.get(key)
        if known is None:
            label = STATUSES.get(status, status)
            site, phone = sites[site_id]
            where = SETTINGS.get(setting, setting) + (f" ({place})" if place else "")
            known = per_event[key] = Recipient(
                LABEL,
                patient_id,
                mrn,
                given,
                family,
                born,
                site,
                phone,
                when,
                lot_id,
                0,
                ZERO,
                f"IG-{root:06d} v{version} day {day}",
                order_id,
                label,
                where,
                session_id,
                ZERO,
            )  # positional (the dataclass's order): a lookback builds hundreds
            if vial_given_g is None:
                known.note = f"grams given not recorded (infusion {label.lower()})"
        known.vials += 1
        known.grams_opened = (known.grams_opened or ZERO) + size_g
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

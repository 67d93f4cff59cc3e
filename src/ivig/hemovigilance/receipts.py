"""The lot receipt register (`LotReceipt`): who received vials of which lot, ready for a recall lookback.

Written only here, from the sources of truth: the pharmacy's dispensings (`DispensedLot`) and the bedside
scans accepted at centre and home infusions (`VialScan`). `refresh` rebuilds the receipts of some orders,
infusions or lots (or all) with one INSERT ... SELECT per source, so every path - the signal receivers below,
the demo loader, the migration, the benchmark - makes the same rows from the same query.

The lookback reads the register through `ReceiptSource` and checks it against the sources at the same time
(the number of dispensings and accepted scans of each lot, counted from their own indexes). A lot whose
receipts do not add up (rows written by a bulk insert, a lost race) is rebuilt there and then and read
again, with a warning in the log: a recall never misses a patient because the register fell behind.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum, TextField, Value
from django.db.models.functions import Cast, Coalesce

from ivig.hemovigilance.infusion_source import infusion_receipts
from ivig.hemovigilance.lookback import Recipient, fetch
from ivig.hemovigilance.models import LotReceipt
from ivig.infusions.models import VialScan
from ivig.inventory.models import Lot
from ivig.orders.models import DispensedLot, TherapyOrder
from ivig.siteconfig.models import CareSite

logger = logging.getLogger(__name__)

# The fields of an order and of an infusion that a receipt copies: a save touching none of them changes
# no receipt (see receivers).
ORDER_FIELDS = frozenset({"patient", "status", "dispensed_at", "series", "version"})
SESSION_FIELDS = frozenset(
    {"patient", "order", "status", "started_at", "created_at", "setting", "location", "day_number",
     "volume_given_ml"}
)  # fmt: skip


def _dispensings(scope: Q) -> QuerySet[Any]:
    """A receipt for each dispensing: the order's patient, when and status, the vials of the lot."""
    return DispensedLot.objects.filter(scope).annotate(
        r_lot_id=F("lot_id"),
        r_patient_id=F("order__patient_id"),
        r_order_id=F("order_id"),
        r_vials=F("quantity_vials"),
        r_at=F("order__dispensed_at"),
        r_status=F("order__status"),
        r_order_root=Coalesce("order__series_id", "order_id"),
        r_order_version=F("order__version"),
        r_setting=Value(""),
        r_location=Value(""),
    )


def _scans(scope: Q) -> QuerySet[Any]:
    """A receipt for each accepted scan: the infusion's patient, start, status and place, and the grams of
    the vials accepted before it in the same infusion (in scan order)."""
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
    return VialScan.objects.filter(scope, accepted=True).annotate(
        r_lot_id=F("lot_id"),
        r_patient_id=F("session__patient_id"),
        r_order_id=F("session__order_id"),
        r_session_id=F("session_id"),
        r_vials=Value(1),
        r_at=Coalesce("session__started_at", "session__created_at"),
        r_status=F("session__status"),
        r_order_root=Coalesce("session__order__series_id", "session__order_id"),
        r_order_version=F("session__order__version"),
        r_day_number=F("session__day_number"),
        r_setting=F("session__setting"),
        r_location=F("session__location"),
        r_volume_given_ml=F("session__volume_given_ml"),
        r_grams_before_g=Subquery(earlier),
    )


def _insert(rows: QuerySet[Any]) -> None:
    """INSERT INTO the register SELECT the `r_<column>` annotations of `rows`, in the database."""
    columns = [name.removeprefix("r_") for name in rows.query.annotations]
    sql, params = rows.order_by().values(*(f"r_{column}" for column in columns)).query.sql_with_params()
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    picked = ", ".join(quote(f"r_{column}") for column in columns)
    table = quote(LotReceipt._meta.db_table)
    # Names from the model and SQL compiled by the ORM; the values are parameters.
    statement = f"INSERT INTO {table} ({names}) SELECT {picked} FROM ({sql}) source"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@transaction.atomic
def refresh(
    *,
    orders: Iterable[int] | None = None,
    sessions: Iterable[int] | None = None,
    lots: Iterable[int] | None = None,
) -> None:
    """Rebuild the receipts of these orders (dispensed and scanned), infusions or lots; all, given none."""
    scopes: tuple[Q, Q | None, Q]
    if orders is not None:
        ids = list(orders)
        scopes = (Q(order_id__in=ids), Q(order_id__in=ids), Q(session__order_id__in=ids))
    elif sessions is not None:
        ids = list(sessions)
        scopes = (Q(session_id__in=ids), None, Q(session_id__in=ids))
    elif lots is not None:
        ids = list(lots)
        scopes = (Q(lot_id__in=ids), Q(lot_id__in=ids), Q(lot_id__in=ids))
    else:
        scopes = (Q(), Q(), Q())
    kept, dispensed, scanned = scopes
    LotReceipt.objects.filter(kept).delete()  # one DELETE: nothing refers to a receipt
    if dispensed is not None:
        _insert(_dispensings(dispensed))
    _insert(_scans(scanned))


def _receipt_rows(lot_ids: list[int]) -> Any:
    """The receipts of the lots with the patient's name, birth date and site (named from `_sites`)."""
    return (
        LotReceipt.objects.filter(lot_id__in=lot_ids)
        .order_by()
        # As text: psycopg's binary numeric loader is the slowest part of the rows; few are needed as numbers.
        .annotate(
            volume_text=Cast("volume_given_ml", TextField()), before_text=Cast("grams_before_g", TextField())
        )
        .values_list(
            "session_id",
            "lot_id",
            "patient_id",
            "patient__mrn",
            "patient__given_name",
            "patient__family_name",
            "patient__date_of_birth",
            "patient__care_site_id",
            "order_id",
            "vials",
            "at",
            "status",
            "order_root",
            "order_version",
            "day_number",
            "setting",
            "location",
            "volume_text",
            "before_text",
        )
    )


def _sites(values: list[Any]) -> Any:
    """Every care site's name and phone: a few rows, cheaper than joining them to each receipt."""
    return CareSite.objects.order_by().values_list("pk", "name", "phone")


def _source_counts(lot_ids: list[int]) -> Any:
    """Each lot's dispensings and accepted scans, counted at the source (index scans, no joins)."""

    def count(rows: QuerySet[Any]) -> Any:
        counted = rows.filter(lot_id=OuterRef("pk")).order_by().values("lot_id").annotate(n=Count("*"))
        return Coalesce(Subquery(counted.values("n")), 0)

    return (
        Lot.objects.filter(pk__in=lot_ids)
        .order_by()
        .values_list("pk", count(DispensedLot.objects.all()), count(VialScan.objects.filter(accepted=True)))
    )


@dataclass(frozen=True, slots=True)
class Receipts:
    """The lots' receipts as the register holds them, checked against the sources: the query layer's answer
    (rows as `_receipt_rows` gives them), before any recipient is built."""

    dispensed: list[tuple[Any, ...]]
    scanned: list[tuple[Any, ...]]
    sites: dict[int | None, tuple[str, str]]  # care site id: name and phone

    @property
    def count(self) -> int:
        return len(self.dispensed) + len(self.scanned)


def read(lot_ids: list[int]) -> Receipts:
    """The receipts of the lots; a lot whose receipts do not match its dispensings and accepted scans (in
    number, by kind) is rebuilt from them first."""
    dispensed, scanned = _split(fetch(_receipt_rows, lot_ids))
    expected = {lot_id: (dispensings, scans) for lot_id, dispensings, scans in fetch(_source_counts, lot_ids)}
    held = {lot_id: [0, 0] for lot_id in lot_ids}
    for kind, rows in enumerate((dispensed, scanned)):
        for row in rows:
            held[row[1]][kind] += 1
    stale = [lot_id for lot_id in lot_ids if tuple(held[lot_id]) != expected.get(lot_id, (0, 0))]
    if stale:
        logger.warning("Lot receipt register out of step for lots %s: rebuilt from the sources", stale)
        refresh(lots=stale)
        dispensed, scanned = _split(fetch(_receipt_rows, lot_ids))
    sites: dict[int | None, tuple[str, str]] = {None: ("", "")}
    sites.update((pk, (name, phone)) for pk, name, phone in fetch(_sites, []))
    return Receipts(dispensed, scanned, sites)


class ReceiptSource:
    """The dispensings and the bedside scans, read from the receipt register."""

    label = "Receipt register"

    def recipients(self, lots: dict[int, Lot]) -> list[Recipient]:
        found = read(list(lots))
        return dispensing_receipts(found.dispensed, lots, found.sites) + infusion_receipts(
            found.scanned, lots, found.sites
        )


def _split(rows: list[tuple[Any, ...]]) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The dispensing rows (no infusion) and the scan rows."""
    dispensed: list[tuple[Any, ...]] = []
    scanned: list[tuple[Any, ...]] = []
    for row in rows:
        (dispensed if row[0] is None else scanned).append(row)
    return dispensed, scanned


DISPENSED = "Dispensed for an order"
ORDER_STATUSES = dict(TherapyOrder.Status.choices)


def dispensing_receipts(
    rows: list[tuple[Any, ...]], lots: dict[int, Lot], sites: dict[int | None, tuple[str, str]]
) -> list[Recipient]:
    """A recipient per dispensing row of the register."""
    vial_size_g = {lot_id: lot.product.vial_size_g for lot_id, lot in lots.items()}
    site_names = {site_id: name for site_id, (name, _) in sites.items()}
    site_phones = {site_id: phone for site_id, (_, phone) in sites.items()}
    return [
        Recipient(
            DISPENSED, patient_id, mrn, given, family, born, site_names[site_id], site_phones[site_id], at,
            lot_id, vials, vials * vial_size_g[lot_id], f"IG-{root:06d} v{version}", order_id,
            ORDER_STATUSES.get(status, status),
        )  # positional (the dataclass's order): a lookback builds hundreds
        for (_, lot_id, patient_id, mrn, given, family, born, site_id, order_id, vials, at, status, root,
             version, *_) in rows
    ]  # fmt: skip

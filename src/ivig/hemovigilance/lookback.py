"""Recall lookback: every patient who received any vial of a lot, from every source that records it.

A source is anything that can say "these patients received vials of these lots". The app registers the
receipt register (`receipts.ReceiptSource`): the pharmacy's dispensings and the flowsheet's centre and home
infusions with partly used vials (`infusion_source`), kept in one indexed table. The page, the CSV, the
letters and the benchmark all go through `lookback`, so a new source is found everywhere at once.

Receipts are merged to one row per patient, lot and event (an infusion, or an order's dispensing when no
infusion scanned its vials), showing every source that recorded it: the vials dispensed for an order and
then scanned at its infusions are the same vials, counted once. Vials dispensed but never scanned keep a row
of their own (they may still be in a home-infusion fridge), so no recipient is ever lost in the merge.

A source's queries return plain rows (`values_list`, no model instances), so a lookback over hundreds of
receipts stays a few milliseconds. `fetch` compiles each query once per number of lots and, on PostgreSQL,
runs it as a prepared statement (parsed and planned once per connection): the ORM's SQL without the ORM's
cost per call.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from typing import Any, Protocol

from django.db import connection

from ivig.inventory.models import Lot, StockProduct

# Per shape of query: its SQL, the parameters with stand-ins, and the ORM's converters of its columns.
_COMPILED: dict[tuple[Any, ...], tuple[str, tuple[Any, ...], list[tuple[int, list[Any], Any]]]] = {}


def fetch(build: Callable[[list[Any]], Any], values: list[Any]) -> list[Any]:
    """The rows of `build(values)` (a values_list queryset), its SQL compiled once per shape of values.

    The SQL is made with stand-ins for the values (-1, -2, ... for ids, marked text for strings) and kept;
    each call swaps in the real values. On PostgreSQL it runs on a server-binding cursor as a prepared
    statement, with rows in binary format (a third less time than text in bench/lookback.py); elsewhere on
    Django's cursor, through the converters the ORM would apply (e.g. SQLite's dates and decimals).
    """
    stand_ins = [-n if isinstance(value, int) else f"\x00{n}" for n, value in enumerate(values, start=1)]
    key = (build, *(type(value) for value in values))
    if key not in _COMPILED:
        compiler = build(stand_ins).query.get_compiler(connection=connection)
        sql, template = compiler.as_sql()
        columns = [column for column, _, _ in compiler.select[: compiler.col_count]]
        converters = [(at, convs, column) for at, (convs, column) in compiler.get_converters(columns).items()]
        _COMPILED[key] = (sql, tuple(template), converters)
    sql, template, converters = _COMPILED[key]
    real = dict(zip(stand_ins, values, strict=True))
    params = [real.get(value, value) if type(value) in (int, str) else value for value in template]
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return [_converted(row, converters) for row in rows] if converters else rows
    connection.ensure_connection()
    import psycopg  # PostgreSQL only: psycopg is there whenever this connection is

    # Django's error wrapping still applies (a failure is a django.db error, and marks the connection).
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True, binary=True)  # binary rows: dates and numbers load faster
        return cursor.fetchall()


def _converted(row: tuple[Any, ...], converters: list[tuple[int, list[Any], Any]]) -> list[Any]:
    values = list(row)
    for at, convs, column in converters:
        for convert in convs:
            values[at] = convert(values[at], column, connection)
    return values


@dataclass(slots=True)  # not frozen: a frozen dataclass is slower to build, and a lookback builds thousands
class Recipient:
    """One receipt of vials of a recalled lot by one patient."""

    source: str
    patient_id: int
    mrn: str
    given_name: str
    family_name: str
    date_of_birth: date
    care_site: str
    site_phone: str
    when: datetime | None
    lot_id: int
    vials: int
    grams: Decimal
    reference: str  # what the receipt is: an order number, and the infusion day
    order_id: int | None
    status: str  # e.g. "Dispensed", "Completed": whether the vials may still be unused
    setting: str = ""  # where it was given: "Centre chair (Chair 4)", "Home visit"; "" for a dispensing
    session_id: int | None = None  # the infusion (the event), when the vials were scanned at one
    grams_opened: Decimal | None = None  # grams in the vials opened, when more than was given
    note: str = ""  # e.g. a partly used vial, vials dispensed but not scanned

    @property
    def patient_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class LookbackSource(Protocol):
    """Gives the receipts of vials of the lots that this source records."""

    label: str

    def recipients(self, lots: dict[int, Lot]) -> list[Recipient]: ...


# The receipt register (dispensings, bedside scans) joins in HemovigilanceConfig.ready; a site may add more.
SOURCES: list[LookbackSource] = []


def register_source(source: LookbackSource) -> None:
    """Add a source of recipients (once: a second source with the same label replaces the first)."""
    SOURCES[:] = [known for known in SOURCES if known.label != source.label] + [source]


LOT_FIELDS = [field.attname for field in Lot._meta.concrete_fields]
PRODUCT_FIELDS = [field.attname for field in StockProduct._meta.concrete_fields]


def _lot_rows(values: list[str]) -> Any:
    lots = Lot.objects.filter(lot_number=values[0])
    if len(values) > 1:
        lots = lots.filter(gtin=values[1])
    return lots.order_by("pk").values_list(*LOT_FIELDS, *(f"product__{name}" for name in PRODUCT_FIELDS))


def find_lots(lot_number: str, gtin: str | None = None) -> list[Lot]:
    """The lots with this number (of any product, unless the GTIN narrows it), products fetched with them."""
    found = []
    for row in fetch(_lot_rows, [lot_number.strip().upper()] + ([gtin] if gtin else [])):
        lot = Lot.from_db("default", LOT_FIELDS, row[: len(LOT_FIELDS)])
        lot.product = StockProduct.from_db("default", PRODUCT_FIELDS, row[len(LOT_FIELDS) :])
        found.append(lot)
    return found


class _Totals:
    """Vials and grams summed over `received`."""

    __slots__ = ()

    @property
    def received(self) -> list[Recipient]:
        raise NotImplementedError

    @property
    def vials(self) -> int:
        return sum(r.vials for r in self.received)

    @property
    def grams(self) -> Decimal:
        return sum((r.grams for r in self.received), Decimal(0))


@dataclass(slots=True)
class PatientReceipts(_Totals):
    """Everything one patient received of the recalled lots."""

    receipts: list[Recipient]

    @property
    def first(self) -> Recipient:
        return self.receipts[0]

    @property
    def received(self) -> list[Recipient]:
        return self.receipts


@dataclass
class Lookback(_Totals):
    lots: list[Lot]
    recipients: list[Recipient]
    patients: list[PatientReceipts] = field(default_factory=list)

    @property
    def received(self) -> list[Recipient]:
        return self.recipients

    def lot(self, lot_id: int) -> Lot:
        return next(lot for lot in self.lots if lot.pk == lot_id)


NEVER = datetime.min.replace(tzinfo=UTC)


def _when(recipient: Recipient) -> datetime:
    return recipient.when or NEVER


def _patient_order(receipts: PatientReceipts) -> tuple[str, str, str]:
    first = receipts.first
    return first.family_name.casefold(), first.given_name.casefold(), first.mrn


def lookback(lots: Sequence[Lot], sources: Sequence[LookbackSource] | None = None) -> Lookback:
    """Every receipt of the lots from every source, by patient (name, MRN) then date."""
    by_id = {lot.pk: lot for lot in lots}
    recipients: list[Recipient] = []
    if by_id:
        for source in SOURCES if sources is None else sources:
            recipients.extend(source.recipients(by_id))
    grouped: dict[int, list[Recipient]] = {}
    for recipient in merge(recipients):
        grouped.setdefault(recipient.patient_id, []).append(recipient)
    patients = []
    for rows in grouped.values():
        if len(rows) > 1:
            rows.sort(key=_when)
        patients.append(PatientReceipts(rows))
    patients.sort(key=_patient_order)  # the MRN is the patient's: one key a patient, rows kept together
    recipients = [row for patient in patients for row in patient.receipts]
    return Lookback(lots=list(lots), recipients=recipients, patients=patients)


@cache  # a handful of source labels: the same few joins, made once
def _join(first: str, second: str) -> str:
    return first if second in first.split(" + ") else f"{first} + {second}"


def merge(recipients: list[Recipient]) -> list[Recipient]:
    """One row per patient, lot and event, with every source that recorded it; no receipt is dropped.

    An event is an infusion (`session_id`); receipts of the same infusion from several sources are one row
    (the most vials any source saw). An order's dispensing of a lot is folded into the infusions of that
    order that scanned the lot; vials dispensed beyond those scanned stay as a row of their own. Receipts
    with neither an infusion nor an order (another source's own events) are kept as they are.
    """
    events: dict[tuple[int, int, int], Recipient] = {}
    per_order: dict[tuple[int, int, int], list[Recipient]] = {}
    dispensed: dict[tuple[int, int, int], Recipient] = {}
    kept: list[Recipient] = []
    for row in recipients:
        if row.session_id is not None:
            key = (row.patient_id, row.lot_id, row.session_id)
            known = events.get(key)
            if known is None:
                events[key] = row
                if row.order_id is not None:
                    per_order.setdefault((row.patient_id, row.lot_id, row.order_id), []).append(row)
            else:
                known.source = _join(known.source, row.source)
                if row.vials > known.vials:
                    known.vials, known.grams = row.vials, row.grams
        elif row.order_id is not None:
            key = (row.patient_id, row.lot_id, row.order_id)
            known = dispensed.get(key)
            if known is None:
                dispensed[key] = row
            else:  # the same order took vials of the lot twice: one receipt
                known.vials, known.grams = known.vials + row.vials, known.grams + row.grams
                known.source = _join(known.source, row.source)
        else:
            kept.append(row)
    for key, row in dispensed.items():
        infusions = per_order.get(key)
        if not infusions:
            kept.append(row)
            continue
        for infusion in infusions:
            infusion.source = _join(row.source, infusion.source)
        unscanned = row.vials - sum(infusion.vials for infusion in infusions)
        if unscanned > 0:
            row.grams = row.grams * unscanned / row.vials
            row.vials = unscanned
            row.note = f"{unscanned} vial{'s' if unscanned > 1 else ''} dispensed, not scanned at an infusion"
            kept.append(row)
    return list(events.values()) + kept


def lookback_by_number(lot_number: str, gtin: str | None = None) -> Lookback:
    """Find the lots and everyone who received them: the application's whole lookback query."""
    return lookback(find_lots(lot_number, gtin))

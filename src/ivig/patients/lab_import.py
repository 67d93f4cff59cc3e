"""Read a lab results CSV: MRN, kind, value, unit, date. Every row is checked; each bad row gets its message.

    mrn,kind,value,unit,date
    RB100004,igg,690,mg/dL,2026-01-12
    RB100006,platelets,45,x10^9/L,2026-01-12

Columns in any order, header required, names case-insensitive; `taken_on` is accepted for `date`.
Dates are ISO (2026-01-12). The import stores the rows only when every row is good (all or nothing).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from ivig.clinical.labs import lab_kind
from ivig.clinical.units import UnitError
from ivig.patients.lab_actions import LabEntry, LabError, check_lab_value
from ivig.patients.models import Patient

COLUMNS = ("mrn", "kind", "value", "unit", "date")
MAX_ROWS = 5000


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    text: str  # the row as it was in the file
    message: str


@dataclass(frozen=True, slots=True)
class CheckedRow:
    line: int
    entry: LabEntry


@dataclass(frozen=True, slots=True)
class CheckedFile:
    rows: tuple[CheckedRow, ...]
    errors: tuple[RowError, ...]

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _decimal(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise LabError(f"value {text!r} is not a number") from None
    if not value.is_finite():
        raise LabError(f"value {text!r} is not a number")
    return value


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise LabError(f"date {text!r}: write it as 2026-01-12") from None


def check_lab_csv(text: str, *, today: date) -> CheckedFile:
    """Check every row against the patients on file; nothing is written."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        return _check_rows(reader, today=today)
    except csv.Error as error:  # a field over csv.field_size_limit(), a NUL byte, a broken quote
        return CheckedFile((), (RowError(reader.line_num, "", f"the file cannot be read as CSV: {error}"),))


def _check_rows(reader: Any, *, today: date) -> CheckedFile:
    header_row = next(reader, None)
    header = [name.strip().lower() for name in header_row or []]
    header = ["date" if name == "taken_on" else name for name in header]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        return CheckedFile(
            (), (RowError(1, ",".join(header_row or []), f"missing column(s): {', '.join(missing)}"),)
        )
    where = {name: header.index(name) for name in COLUMNS}
    raw = [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)]
    if len(raw) > MAX_ROWS:
        return CheckedFile((), (RowError(1, "", f"{len(raw)} rows: import at most {MAX_ROWS} at a time"),))
    mrns = {row[where["mrn"]].strip().upper() for _line, row in raw if len(row) > where["mrn"]}
    patients = {p.mrn.upper(): p for p in Patient.objects.filter(mrn__in=mrns)}
    rows: list[CheckedRow] = []
    errors: list[RowError] = []
    seen: dict[tuple[int, str, Decimal, date], int] = {}
    for line, row in raw:
        try:
            if len(row) != len(header):
                raise LabError(f"{len(row)} fields where the header has {len(header)}")
            cell = {name: row[index].strip() for name, index in where.items()}
            patient = patients.get(cell["mrn"].upper())
            if patient is None:
                raise LabError(f"no patient with MRN {cell['mrn']!r}")
            try:
                kind = lab_kind(cell["kind"])
            except UnitError as error:
                raise LabError(str(error)) from None
            entry = check_lab_value(
                patient=patient,
                kind=kind.value,
                value=_decimal(cell["value"]),
                unit=cell["unit"],
                taken_on=_date(cell["date"]),
                today=today,
            )
            key = (patient.pk, entry.kind.value, entry.value, entry.taken_on)
            if key in seen:
                raise LabError(f"the same result as line {seen[key]}")
            seen[key] = line
            rows.append(CheckedRow(line, entry))
        except LabError as error:
            errors.append(RowError(line, ",".join(row), str(error)))
    if not raw and not errors:
        errors.append(RowError(1, "", "the file has a header but no rows"))
    return CheckedFile(tuple(rows), tuple(errors))

"""Write lab results: typed entry for one patient, and CSV import for many (all or nothing).

Values arrive in the unit the laboratory used and are stored in the kind's unit (`ivig.clinical.labs`);
the audit event keeps what was entered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db import transaction

from ivig import clock
from ivig.audit.events import record
from ivig.clinical.labs import LAB_UNITS, LabKind, to_stored_unit
from ivig.clinical.units import UnitError
from ivig.lib.refusals import ActionRefused
from ivig.patients.models import LabResult, Patient

if TYPE_CHECKING:
    from ivig.accounts.models import User

CENTS = Decimal("0.01")


class LabError(ActionRefused, ValueError):
    """A lab value that cannot be stored as given."""


@dataclass(frozen=True, slots=True)
class LabEntry:
    """One checked result, ready to store: `value` is in the stored unit of `kind`."""

    patient: Patient
    kind: LabKind
    value: Decimal
    taken_on: date
    entered: str  # the value and unit as entered, e.g. "690 mg/dL"


def check_lab_value(
    *, patient: Patient, kind: str, value: Decimal, unit: str, taken_on: date, today: date | None = None
) -> LabEntry:
    """Convert to the stored unit and check range and date; raise LabError with a message for people."""
    today = today or clock.localdate()
    try:
        lab = LabKind(kind)
        stored = Decimal(str(to_stored_unit(lab, float(value), unit))).quantize(CENTS, ROUND_HALF_UP)
    except (UnitError, ValueError) as error:
        raise LabError(str(error)) from None
    except ArithmeticError:  # 1e30 overflows the conversion or the two-decimal quantize
        raise LabError(f"{kind}: {value:f} {unit} is not a plausible result; check the value") from None
    label = LabResult.Kind(lab.value).label
    low, high = LabResult.PLAUSIBLE[LabResult.Kind(lab.value)]
    stored_unit = LAB_UNITS[lab].stored
    if not low <= stored <= high:
        shown = f"{value.normalize():f} {unit}".strip()
        raise LabError(f"{label}: {shown} is {stored} {stored_unit}, outside {low}-{high}; check the unit")
    if taken_on > today:
        raise LabError(f"{label}: the date {taken_on:%Y-%m-%d} is in the future")
    if taken_on < patient.date_of_birth:
        raise LabError(f"{label}: the date {taken_on:%Y-%m-%d} is before the patient was born")
    unit_shown = unit.strip() or stored_unit
    return LabEntry(patient, lab, stored, taken_on, f"{value.normalize():f} {unit_shown}")


def _already_there(entry: LabEntry) -> bool:
    return LabResult.objects.filter(
        patient=entry.patient, kind=entry.kind.value, value=entry.value, taken_on=entry.taken_on
    ).exists()


def _store(by: User, entry: LabEntry, action: str, source: str = "typed entry") -> LabResult:
    result = LabResult.objects.create(
        patient=entry.patient,
        kind=entry.kind.value,
        value=entry.value,
        taken_on=entry.taken_on,
        recorded_by=by,
    )
    record(
        action=action,
        by=by,
        target=result,
        patient=entry.patient,
        summary=f"{result.get_kind_display()} {entry.value} on {entry.taken_on:%Y-%m-%d} "
        f"(entered {entry.entered})",
        after={
            "kind": entry.kind.value,
            "value": entry.value,
            "taken_on": entry.taken_on,
            "entered": entry.entered,
            "source": source,
        },
    )
    return result


@transaction.atomic
def record_lab_results(*, by: User, entries: list[LabEntry]) -> list[LabResult]:
    """Store results typed for one patient; a result already on the chart is kept once."""
    return [_store(by, entry, "lab.create") for entry in entries if not _already_there(entry)]


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    created: int
    duplicates: int  # rows already on the chart, left as they were


@transaction.atomic
def import_lab_result(*, by: User, entry: LabEntry, source: str) -> tuple[LabResult, bool]:
    """Store one checked imported result: (the result, True), or (the one already on the chart, False)."""
    existing = LabResult.objects.filter(
        patient=entry.patient, kind=entry.kind.value, value=entry.value, taken_on=entry.taken_on
    ).first()
    if existing is not None:
        return existing, False
    return _store(by, entry, "lab.import", source), True


@transaction.atomic
def import_lab_results(*, by: User, entries: list[LabEntry], source: str) -> ImportOutcome:
    """Store every checked row of an import in one transaction: all of them or, on any failure, none."""
    created = sum(import_lab_result(by=by, entry=entry, source=source)[1] for entry in entries)
    return ImportOutcome(created, len(entries) - created)

"""Write patients. Each function is one transaction and leaves an audit event."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from ivig import clock
from ivig.audit.events import record
from ivig.lib.refusals import ActionRefused
from ivig.patients.models import Allergy, Measurement, Patient, PatientIdentifier

if TYPE_CHECKING:
    from ivig.accounts.models import User

Row = TypeVar("Row", bound=models.Model)
MRN_TAKEN = "Another patient already has this medical record number."
# A time a few minutes ahead of the server (a device clock running fast) is accepted; more is a mistake.
CLOCK_SKEW = timedelta(minutes=5)


class PatientError(ActionRefused, ValidationError):
    """A registration was refused; the message says why. Also a ValidationError, as the model's own checks
    raise for the same refusal, so a caller that catches those (the FHIR import, the CLI) catches this."""

    def __init__(self, message: str) -> None:
        ValidationError.__init__(self, message, code="invalid")

    def __str__(self) -> str:
        return str(self.message)


DEMOGRAPHICS = (
    "mrn",
    "given_name",
    "family_name",
    "date_of_birth",
    "sex_at_birth",
    "care_site_id",
    "home_address",
    "home_latitude",
    "home_longitude",
)


def _local_date(moment: datetime) -> date:
    try:
        return timezone.localtime(moment).date()
    except (OverflowError, ValueError):  # a year-1 or year-9999 time cannot move to the local zone
        return moment.date()


def _snapshot(patient: Patient) -> dict[str, Any]:
    return {name: getattr(patient, name) for name in DEMOGRAPHICS}


def save_for_patient(
    row: Row,
    by: User,
    patient: Patient,
    action: str,
    summary: Callable[[Row], str],
    after: Iterable[str],
    *,
    before: dict[str, Any] | None = None,
) -> Row:
    """Validate and save a new row of a patient's record with its audit event, which lists the `after` fields
    as saved. Outcomes, measurements and allergies are written this way."""
    row.full_clean()
    row.save()
    after_values = {name: getattr(row, name) for name in after}
    record(
        action=action,
        by=by,
        target=row,
        patient=patient,
        summary=summary(row),
        before=before,
        after=after_values,
    )
    return row


def _measure(patient: Patient) -> dict[str, Any]:
    weight, height = patient.latest_weight(), patient.latest_height()
    return {
        "weight_kg": weight.weight_kg if weight else None,
        "height_cm": height.height_cm if height else None,
    }


@transaction.atomic
def create_patient(
    *,
    by: User,
    mrn: str,
    given_name: str,
    family_name: str,
    date_of_birth: Any,
    sex_at_birth: str,
    care_site: Any = None,
    home_address: str = "",
    home_latitude: Decimal | None = None,
    home_longitude: Decimal | None = None,
    weight_kg: Decimal | None = None,
    height_cm: Decimal | None = None,
    measured_at: datetime | None = None,
    confirmed_not: list[str] | None = None,
    identifiers: list[tuple[str, str]] | None = None,
) -> Patient:
    """Register a patient. `confirmed_not`: the MRNs of possible matches the registrar said are someone else
    (see `ivig.patients.matching`); they are kept in the audit event. `identifiers`: other systems' (system,
    value) for the patient, e.g. an EHR's MRN from an import, kept beside ours.

    The MRN is normalised and checked by the model (`ivig.clinical.identity`), whoever calls. Registrations
    of one MRN at the same moment: one is saved, the others refused with PatientError (MRN_TAKEN), whichever
    check catches them (the model's, or the database's unique index)."""
    patient = Patient(
        mrn=mrn,
        given_name=given_name,
        family_name=family_name,
        date_of_birth=date_of_birth,
        sex_at_birth=sex_at_birth,
        care_site=care_site,
        home_address=home_address,
        home_latitude=home_latitude,
        home_longitude=home_longitude,
    )
    try:
        patient.full_clean()  # normalises the MRN, then checks it is unique (field and case-blind constraint)
    except ValidationError as error:
        unique = [e for e in error.error_dict.get("mrn", []) if e.code == "unique"]
        if unique or MRN_TAKEN in error.messages:  # the field's check, or the constraint's
            raise PatientError(MRN_TAKEN) from None
        raise
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction stays usable after a refusal
            patient.save()
    except IntegrityError:  # registered a moment ago, after this full_clean looked
        if Patient.objects.filter(mrn__iexact=patient.mrn).exists():
            raise PatientError(MRN_TAKEN) from None
        raise
    for system, value in identifiers or []:
        identifier = PatientIdentifier(patient=patient, system=system, value=value, recorded_by=by)
        identifier.full_clean()
        identifier.save()
    if weight_kg is not None or height_cm is not None:
        Measurement.objects.create(
            patient=patient,
            measured_at=measured_at or clock.now(),
            weight_kg=weight_kg,
            height_cm=height_cm,
            recorded_by=by,
        )
    record(
        action="patient.create",
        by=by,
        target=patient,
        patient=patient,
        summary=f"Registered {patient.full_name}"
        + (f" (confirmed not the same person as {', '.join(confirmed_not)})" if confirmed_not else ""),
        after={
            **_snapshot(patient),
            "weight_kg": weight_kg,
            "height_cm": height_cm,
            **({"confirmed_not_same_person_as": confirmed_not} if confirmed_not else {}),
            **(
                {"identifiers": [f"{system}|{value}" for system, value in identifiers]} if identifiers else {}
            ),
        },
    )
    return patient


@transaction.atomic
def update_patient(
    *,
    by: User,
    patient: Patient,
    weight_kg: Decimal | None = None,
    height_cm: Decimal | None = None,
    **demographics: Any,
) -> Patient:
    """Change demographics.

    A weight or height that differs from the latest one becomes a new dated measurement.
    """
    unknown = set(demographics) - {name.removesuffix("_id") for name in DEMOGRAPHICS}
    if unknown:
        raise TypeError(f"not patient demographics: {', '.join(sorted(unknown))}")
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    before = {**_snapshot(patient), **_measure(patient)}
    for name, value in demographics.items():
        setattr(patient, name, value)
    patient.full_clean()
    patient.save()
    new_weight = weight_kg if weight_kg is not None and weight_kg != before["weight_kg"] else None
    new_height = height_cm if height_cm is not None and height_cm != before["height_cm"] else None
    if new_weight is not None or new_height is not None:
        Measurement.objects.create(
            patient=patient,
            measured_at=clock.now(),
            weight_kg=new_weight,
            height_cm=new_height,
            recorded_by=by,
        )
    after = {**_snapshot(patient), **_measure(patient)}
    changed = [name for name in after if after[name] != before[name]]
    if changed:
        record(
            action="patient.update",
            by=by,
            target=patient,
            patient=patient,
            summary=f"Changed {', '.join(name.removesuffix('_id') for name in changed)}",
            before={name: before[name] for name in changed},
            after={name: after[name] for name in changed},
        )
    return patient


@transaction.atomic
def record_measurement(
    *, by: User, patient: Patient, measured_at: datetime, weight_kg: Decimal | None, height_cm: Decimal | None
) -> Measurement:
    """Record a weight and/or height, dated within the patient's life: not before birth, not after today
    (hazard H-CLINICAL-TIME); a weight dated wrongly would be taken as the latest one for dosing."""
    day = _local_date(measured_at)
    if day < patient.date_of_birth:
        raise PatientError(
            f"The measurement date {day:%Y-%m-%d} is before {patient.full_name} was born "
            f"({patient.date_of_birth:%Y-%m-%d})."
        )
    if measured_at > clock.now() + CLOCK_SKEW and day > clock.localdate():
        raise PatientError(f"The measurement date {day:%Y-%m-%d} is in the future.")
    before = _measure(patient)
    measurement = Measurement(
        patient=patient, measured_at=measured_at, weight_kg=weight_kg, height_cm=height_cm, recorded_by=by
    )
    return save_for_patient(
        measurement,
        by,
        patient,
        "measurement.create",
        lambda row: f"Recorded {row}",
        ("weight_kg", "height_cm", "measured_at"),
        before=before,
    )


@transaction.atomic
def add_allergy(
    *, by: User, patient: Patient, substance: str, reaction: str = "", severity: str = "unknown"
) -> Allergy:
    allergy = Allergy(
        patient=patient, substance=substance, reaction=reaction, severity=severity, recorded_by=by
    )
    return save_for_patient(
        allergy,
        by,
        patient,
        "allergy.create",
        lambda row: f"Allergy: {row.substance}",
        ("substance", "reaction", "severity"),
    )


@transaction.atomic
def deactivate_allergy(*, by: User, allergy: Allergy) -> Allergy:
    allergy.active = False
    allergy.save(update_fields=["active"])
    record(
        action="allergy.deactivate",
        by=by,
        target=allergy,
        patient=allergy.patient,
        summary=f"Allergy no longer active: {allergy.substance}",
        before={"active": True},
        after={"active": False},
    )
    return allergy


@transaction.atomic
def link_portal_user(*, by: User, patient: Patient, user: Any) -> Patient:
    before = patient.portal_user_id
    patient.portal_user = user
    patient.save(update_fields=["portal_user"])
    record(
        action="patient.portal_link",
        by=by,
        target=patient,
        patient=patient,
        summary=f"Portal account {user.get_username()} linked",
        before={"portal_user_id": before},
        after={"portal_user_id": user.pk},
    )
    return patient

"""Observation: vital signs (one source per kind of value) and laboratory results.

Vital signs come from the flowsheet (infusions.VitalSigns: "temp-", "hr-", "rr-", "spo2-", "bp-" + the row's
pk; one row can hold several values, so each kind is its own source over the rows that have that value), the
checklist's weight of the day ("wtinf-<session pk>") and the chart's dated weights and heights ("wt-", "ht-" +
Measurement pk). They follow the FHIR vital-signs profiles: category vital-signs, LOINC code, UCUM units.
Lab results ("lab-<pk>") carry the LOINC code of ``ivig.clinical.labs`` (eGFR has none: the formula is not
recorded) and our own lab-kind code; category laboratory. LOINC and UCUM: docs/reference/codes.md s11.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.db.models.functions import Coalesce

from ivig.accounts.roles import VIEW_INFUSION, VIEW_LABS, VIEW_PATIENT
from ivig.clinical.infusion.vitals import (
    BLOOD_PRESSURE_PANEL_LOINC,
    BODY_HEIGHT_LOINC,
    BODY_WEIGHT_LOINC,
    MEASURES,
    SPO2_PULSE_OXIMETRY_LOINC,
    Measure,
)
from ivig.clinical.labs import LAB_UNITS, LabKind
from ivig.fhir import search
from ivig.fhir.codes import LOINC, OBSERVATION_CATEGORY, coding, ivig_url, person, quantity
from ivig.fhir.registry import SearchFilter, Source, reference, register
from ivig.fhir.resources.medication_administration import infusion_reference, is_served
from ivig.infusions.models import InfusionSession, VitalSigns
from ivig.patients.models import LabResult, Measurement

# When the day's weight was taken: the checklist's confirmation, or the session's start before it.
WEIGHED_AT = Coalesce("checklist_at", "created_at")
PROFILE = "http://hl7.org/fhir/StructureDefinition/"
CATEGORIES = ("vital-signs", "laboratory")
# UCUM codes of the units lab results are stored in (ivig.clinical.labs LAB_UNITS[kind].stored).
LAB_UCUM = {
    LabKind.IGG: "g/L",
    LabKind.PLATELETS: "10*9/L",
    LabKind.CREATININE: "umol/L",
    LabKind.EGFR: "mL/min/{1.73_m2}",
    LabKind.HAEMOGLOBIN: "g/L",
}


def lab_kind_system() -> str:
    return ivig_url("CodeSystem/lab-kind")


def _category(code: str) -> list[dict[str, Any]]:
    display = {"vital-signs": "Vital Signs", "laboratory": "Laboratory"}[code]
    return [{"coding": [coding(OBSERVATION_CATEGORY, code, display)], "text": display}]


def _code(codes: list[tuple[str, str]], text: str) -> dict[str, Any]:
    return {"coding": [coding(LOINC, code, display) for code, display in codes], "text": text}


@dataclass(frozen=True)
class Vital:
    """One kind of vital sign: where its value is and how it is coded."""

    prefix: str
    profile: str
    codes: list[tuple[str, str]]  # (LOINC code, display); the first is the profile's
    text: str
    value: Callable[[Any], dict[str, Any]]  # the row's valueQuantity or component list, as resource fields


def _measure(measure: Measure, field: str) -> Callable[[Any], dict[str, Any]]:
    info = MEASURES[measure]
    return lambda row: {"valueQuantity": quantity(getattr(row, field), info.unit, info.ucum)}


def _blood_pressure(row: VitalSigns) -> dict[str, Any]:
    parts = ((Measure.SYSTOLIC, row.systolic), (Measure.DIASTOLIC, row.diastolic))
    return {
        "component": [
            {
                "code": _code([(MEASURES[m].loinc, MEASURES[m].label)], MEASURES[m].label),
                "valueQuantity": quantity(value, MEASURES[m].unit, MEASURES[m].ucum),
            }
            for m, value in parts
            if value is not None  # the queryset keeps rows with a pressure; a constraint keeps the pair
        ]
    }


def _info(measure: Measure) -> tuple[str, str]:
    return MEASURES[measure].loinc, MEASURES[measure].label


def _single(prefix: str, profile: str, measure: Measure, *more: tuple[str, str]) -> Vital:
    """A flowsheet value in the column named like its measure."""
    info = MEASURES[measure]
    return Vital(prefix, profile, [_info(measure), *more], info.label, _measure(measure, measure.value))


# Flowsheet column that must have a value -> the kind of vital sign it makes.
FLOWSHEET = {
    "temperature_c": _single("temp", "bodytemp", Measure.TEMPERATURE_C),
    "heart_rate": _single("hr", "heartrate", Measure.HEART_RATE),
    "respiratory_rate": _single("rr", "resprate", Measure.RESPIRATORY_RATE),
    "spo2": _single(
        "spo2", "oxygensat", Measure.SPO2, (SPO2_PULSE_OXIMETRY_LOINC, "Oxygen saturation by pulse oximetry")
    ),
    "systolic": Vital(
        "bp", "bp", [(BLOOD_PRESSURE_PANEL_LOINC, "Blood pressure panel")], "Blood pressure", _blood_pressure
    ),
}


def _body_size(prefix: str, loinc: str, name: str, label: str, attribute: str, unit: str) -> Vital:
    """A body weight or height: one LOINC code, the row's `attribute` as a quantity in `unit` (UCUM too); the
    vital-signs profile is the code's name without spaces (bodyweight, bodyheight)."""
    profile = name.lower().replace(" ", "")
    value = attrgetter(attribute)
    return Vital(
        prefix,
        profile,
        [(loinc, name)],
        label,
        lambda row: {"valueQuantity": quantity(value(row), unit, unit)},
    )


WEIGHT = _body_size("wt", BODY_WEIGHT_LOINC, "Body weight", "Body weight", "weight_kg", "kg")
HEIGHT = _body_size("ht", BODY_HEIGHT_LOINC, "Body height", "Body height", "height_cm", "cm")
DAY_WEIGHT = _body_size(
    "wtinf", BODY_WEIGHT_LOINC, "Body weight", "Body weight (infusion day)", "weight_today_kg", "kg"
)


def _vital_resource(vital: Vital, pk: int, patient_id: int, when: Any, row: Any) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": f"{vital.prefix}-{pk}",
        "meta": {"profile": [PROFILE + vital.profile]},
        "status": "final",
        "category": _category("vital-signs"),
        "code": _code(vital.codes, vital.text),
        "subject": reference("Patient", patient_id),
        "effectiveDateTime": when.isoformat(),
        **vital.value(row),
    }


def flowsheet_to_fhir(vital: Vital) -> Callable[[VitalSigns], dict[str, Any]]:
    def to_fhir(row: VitalSigns) -> dict[str, Any]:
        session = row.session
        resource = _vital_resource(vital, row.pk, session.patient_id, row.taken_at, row)
        resource["issued"] = row.recorded_at.isoformat()
        resource["performer"] = [person(row.recorded_by)]
        if is_served(session):
            resource["partOf"] = [infusion_reference(session.pk)]
        notes = [*row.flags, row.note] if row.note else list(row.flags)
        if notes:
            resource["note"] = [{"text": str(text)} for text in notes]
        return resource

    return to_fhir


def measurement_to_fhir(vital: Vital) -> Callable[[Measurement], dict[str, Any]]:
    def to_fhir(row: Measurement) -> dict[str, Any]:
        resource = _vital_resource(vital, row.pk, row.patient_id, row.measured_at, row)
        resource["issued"] = row.recorded_at.isoformat()
        if row.recorded_by is not None:
            resource["performer"] = [person(row.recorded_by)]
        return resource

    return to_fhir


def day_weight_to_fhir(session: InfusionSession) -> dict[str, Any]:
    when = session.checklist_at or session.created_at  # as WEIGHED_AT
    resource = _vital_resource(DAY_WEIGHT, session.pk, session.patient_id, when, session)
    if is_served(session):
        resource["partOf"] = [infusion_reference(session.pk)]
    return resource


def lab_to_fhir(result: LabResult) -> dict[str, Any]:
    kind = LabKind(result.kind)
    units = LAB_UNITS[kind]
    label = str(LabResult.Kind(kind.value).label).split(" (")[0]
    codings = [coding(LOINC, units.loinc, label)] if units.loinc else []
    codings.append(coding(lab_kind_system(), kind.value, label))
    return {
        "resourceType": "Observation",
        "id": f"lab-{result.pk}",
        "status": "final",
        "category": _category("laboratory"),
        "code": {"coding": codings, "text": label},
        "subject": reference("Patient", result.patient_id),
        "effectiveDateTime": result.taken_on.isoformat(),
        "issued": result.recorded_at.isoformat(),
        "valueQuantity": quantity(result.value, units.stored, LAB_UCUM[kind]),
    }


def _all_rows() -> Q:
    return Q(pk__isnull=False)


def _searches(
    patient_path: str,
    date_field: str,
    codes: Callable[[], dict[tuple[str, str], Q]],
    category: str,
    *,
    is_date: bool = False,
) -> dict[str, SearchFilter]:
    return {
        "patient": search.by_reference(patient_path),
        "subject": search.by_reference(patient_path, unserved=("Group", "Device", "Location")),
        "date": search.by_date(date_field, is_date=is_date),
        "code": search.by_token(codes, example=f"{LOINC}|{BODY_WEIGHT_LOINC}"),
        "category": search.constant(
            lambda value: value == category, "category", CATEGORIES, system=OBSERVATION_CATEGORY
        ),
    }


def _vital_codes(vital: Vital) -> Callable[[], dict[tuple[str, str], Q]]:
    return lambda: {(LOINC, code): _all_rows() for code, _display in vital.codes}


def _queryset(model: type[Model], condition: Q, *related: str) -> Callable[[], QuerySet[Any]]:
    return lambda: model._default_manager.filter(condition).select_related(*related).order_by("pk")


def _source(
    model: type[Model],
    to_fhir: Any,
    patient_path: str,
    permission: str,
    prefix: str,
    search: tuple[str, Any, str],
    queryset: Callable[[], QuerySet[Any]],
    is_date: bool = False,
) -> Source:
    """An Observation source; `search` is the row's time field, its codes and its category."""
    when, codes, category = search
    return Source(
        resource_type="Observation",
        model=model,
        to_fhir=to_fhir,
        patient_path=patient_path,
        permission=permission,
        id_prefix=prefix,
        search=_searches(patient_path, when, codes, category, is_date=is_date),
        queryset=queryset,
    )


def _flowsheet_source(field: str, vital: Vital) -> Source:
    rows = _queryset(VitalSigns, Q(**{f"{field}__isnull": False}), "session", "recorded_by")
    search = ("taken_at", _vital_codes(vital), "vital-signs")
    return _source(
        VitalSigns, flowsheet_to_fhir(vital), "session__patient", VIEW_INFUSION, vital.prefix, search, rows
    )


def _measurement_source(field: str, vital: Vital) -> Source:
    rows = _queryset(Measurement, Q(**{f"{field}__isnull": False}), "recorded_by")
    search = ("measured_at", _vital_codes(vital), "vital-signs")
    return _source(
        Measurement, measurement_to_fhir(vital), "patient", VIEW_PATIENT, vital.prefix, search, rows
    )


def _day_weights() -> QuerySet[InfusionSession]:
    return (
        InfusionSession.objects.filter(weight_today_kg__isnull=False)
        .annotate(weighed_at=WEIGHED_AT)
        .order_by("pk")
    )


def _lab_codes() -> dict[tuple[str, str], Q]:
    codes = {(lab_kind_system(), kind.value): Q(kind=kind.value) for kind in LabKind}
    codes.update({(LOINC, u.loinc): Q(kind=kind.value) for kind, u in LAB_UNITS.items() if u.loinc})
    return codes


register(
    *(_flowsheet_source(field, vital) for field, vital in FLOWSHEET.items()),
    _measurement_source("weight_kg", WEIGHT),
    _measurement_source("height_cm", HEIGHT),
    _source(
        InfusionSession,
        day_weight_to_fhir,
        "patient",
        VIEW_INFUSION,
        DAY_WEIGHT.prefix,
        ("weighed_at", _vital_codes(DAY_WEIGHT), "vital-signs"),
        _day_weights,
    ),
    _source(
        LabResult,
        lab_to_fhir,
        "patient",
        VIEW_LABS,
        "lab",
        ("taken_on", _lab_codes, "laboratory"),
        _queryset(LabResult, _all_rows()),
        is_date=True,
    ),
)

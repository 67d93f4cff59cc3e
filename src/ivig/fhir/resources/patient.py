"""Patient: one per patients.Patient (id = its pk). Identifiers: our MRN (type MR, our system), then the
other systems' identifiers kept from imports (``PatientIdentifier``), each with its own system."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ivig.accounts.roles import VIEW_PATIENT
from ivig.fhir.codes import IDENTIFIER_TYPE, compact, day, mrn_system
from ivig.fhir.registry import SearchError, Source, register
from ivig.fhir.search import by_date, parse_token, token, values
from ivig.patients.identity import Token, search_filter
from ivig.patients.models import Patient

GENDERS = {"female": "female", "male": "male", "unknown": "unknown"}


def to_fhir(patient: Patient) -> dict[str, Any]:
    site = patient.care_site
    return compact(
        {
            "resourceType": "Patient",
            "id": str(patient.pk),
            "identifier": [
                {
                    "use": "usual",
                    "type": {
                        "coding": [{"system": IDENTIFIER_TYPE, "code": "MR"}],
                        "text": "Medical record number",
                    },
                    "system": mrn_system(),
                    "value": patient.mrn,
                },
                *(
                    {"system": identifier.system, "value": identifier.value}
                    for identifier in patient.identifiers.all()
                ),
            ],
            "name": [{"use": "official", "family": patient.family_name, "given": [patient.given_name]}],
            "gender": GENDERS.get(patient.sex_at_birth, "unknown"),
            "birthDate": day(patient.date_of_birth),
            "managingOrganization": {"display": site.name} if site is not None else None,
        }
    )


GENDER_SYSTEM = "http://hl7.org/fhir/administrative-gender"


def _identifier(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
    """``system|value`` matches that system only; ``|value`` no system (none here); ``value`` any system;
    comma-separated values either-or."""
    wanted = Q(pk__in=[])
    for part in values(value):
        parsed = Token.parse(part)
        if not parsed.value.strip():
            raise SearchError("identifier needs a value, like system|value.")
        wanted |= search_filter(parsed)
    return queryset.filter(wanted)


def _gender(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
    wanted = []
    for part in values(value):
        system, code = parse_token(part)
        if code not in (*GENDERS, "other"):
            raise SearchError("gender must be female, male, other or unknown.")
        if system in (None, GENDER_SYSTEM):
            wanted.append(code)
    return queryset.filter(sex_at_birth__in=wanted)


register(
    Source(
        resource_type="Patient",
        model=Patient,
        to_fhir=to_fhir,
        patient_path="",
        permission=VIEW_PATIENT,
        queryset=lambda: Patient.objects.select_related("care_site").prefetch_related("identifiers"),
        search={
            "identifier": token(_identifier, example="RB100001"),
            "birthdate": by_date("date_of_birth", is_date=True),
            "gender": token(_gender, example="female"),
        },
    )
)

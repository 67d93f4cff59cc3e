"""Patient: one per patients.Patient (id = its pk)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ivig.accounts.roles import VIEW_PATIENT
from ivig.fhir.codes import IDENTIFIER_TYPE, compact, day, instant, mrn_system
from ivig.fhir.registry import SearchError, Source, register
from ivig.fhir.search import by_date, parse_token, token, values
from ivig.patients.models import Patient

GENDERS = {"female": "female", "male": "male", "unknown": "unknown"}


def to_fhir(patient: Patient) -> dict[str, Any]:
    site = patient.care_site
    return compact(
        {
            "resourceType": "Patient",
            "id": str(patient.pk),
            "meta": {"lastUpdated": instant(patient.updated_at)},
            "identifier": [
                {
                    "use": "usual",
                    "type": {
                        "coding": [{"system": IDENTIFIER_TYPE, "code": "MR"}],
                        "text": "Medical record number",
                    },
                    "system": mrn_system(),
                    "value": patient.mrn,
                }
            ],
            "name": [{"use": "official", "family": patient.family_name, "given": [patient.given_name]}],
            "gender": GENDERS.get(patient.sex_at_birth, "unknown"),
            "birthDate": day(patient.date_of_birth),
            "managingOrganization": {"display": site.name} if site is not None else None,
        }
    )


GENDER_SYSTEM = "http://hl7.org/fhir/administrative-gender"


def _identifier(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
    """FHIR token search on Patient.identifier, whose only entry is the MRN in the site's MRN system.

    ``value`` matches an MRN in any system; ``system|value`` only when the system is ours; ``|value`` asks
    for an identifier with no system, which none of ours is. A comma means "or".
    """
    wanted: list[str] = []
    for part in values(value):
        system, mrn = parse_token(part)
        if not mrn:
            raise SearchError("identifier needs a medical record number, like urn:ivig:mrn|RB100001.")
        if system is None or system == mrn_system():
            wanted.append(mrn)
    return queryset.filter(mrn__in=wanted)


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
        queryset=lambda: Patient.objects.select_related("care_site"),
        search={
            "identifier": token(_identifier, example="RB100001"),
            "birthdate": by_date("date_of_birth", is_date=True),
            "gender": token(_gender, example="female"),
        },
    )
)

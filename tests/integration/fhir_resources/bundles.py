"""Build FHIR transaction Bundles as an EHR would send them."""

from __future__ import annotations

import uuid
from typing import Any

MR = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}]}
OURS = "urn:ivig:mrn"  # settings.FHIR_MRN_SYSTEM's default: our MRNs
HOSPITAL = "urn:oid:2.16.840.1.113883.3.9999"  # another hospital's MRNs, unknown until mapped
OTHER = "http://other-hospital.example/mrn"


def patient(
    mrn: str,
    *,
    given: str = "Mia",
    family: str = "Ng",
    born: str = "2015-04-02",
    system: str = OURS,
    also: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """A Patient entry whose MR identifier has `system` (ours unless told), a national number we do not
    know (ignored), and `also` identifiers."""
    return {
        "fullUrl": f"urn:uuid:{uuid.uuid4()}",
        "resource": {
            "resourceType": "Patient",
            "identifier": [
                {"system": "urn:oid:2.16.840.1.113883.4.1", "value": "SSN-IGNORED"},
                {"type": MR, "system": system, "value": mrn},
                *(also or []),
            ],
            "name": [{"use": "official", "family": family, "given": [given]}],
            "gender": "female",
            "birthDate": born,
        },
        "request": {"method": "POST", "url": "Patient"},
    }


def lab(
    subject: dict[str, Any],
    *,
    code: str = "2465-3",
    value: float = 690,
    unit: str = "mg/dL",
    taken: str = "2026-01-12",
) -> dict[str, Any]:
    return {
        "fullUrl": f"urn:uuid:{uuid.uuid4()}",
        "resource": {
            "resourceType": "Observation",
            "status": "final",
            "category": [
                {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                            "code": "laboratory",
                        }
                    ]
                }
            ],
            "code": {"coding": [{"system": "http://loinc.org", "code": code}]},
            "subject": subject,
            "effectiveDateTime": taken,
            "valueQuantity": {
                "value": value,
                "unit": unit,
                "system": "http://unitsofmeasure.org",
                "code": unit,
            },
        },
        "request": {"method": "POST", "url": "Observation"},
    }


def bundle(*entries: dict[str, Any], kind: str = "transaction") -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": kind, "entry": list(entries)}


def ref(entry: dict[str, Any]) -> dict[str, str]:
    return {"reference": entry["fullUrl"]}

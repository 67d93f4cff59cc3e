"""Code systems and codes the FHIR mappers share (ivig-reference.md s11 unless a line says otherwise)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
PERFORM_FUNCTION = "http://terminology.hl7.org/CodeSystem/med-admin-perform-function"


def ivig_url(path: str) -> str:
    """A canonical URL of ours (questionnaires, code systems), under the site's public address."""
    return f"{settings.IVIG_PUBLIC_URL}/fhir/{path.lstrip('/')}"


def number(value: Decimal | float | int) -> float | int:
    """A JSON number for a FHIR decimal (Decimal is not JSON)."""
    return value if isinstance(value, int) else float(value)


def quantity(value: Decimal | float | int, unit: str, code: str) -> dict[str, Any]:
    """A UCUM Quantity: `unit` is what people read, `code` the UCUM code."""
    return {"value": number(value), "unit": unit, "system": UCUM, "code": code}


def coding(system: str, code: str, display: str = "") -> dict[str, str]:
    found = {"system": system, "code": code}
    if display:
        found["display"] = display
    return found


def person(user: Any, resource_type: str = "Practitioner") -> dict[str, str]:
    """A reference to a staff member or family member by name (people are not served as resources)."""
    return {"type": resource_type, "display": user.display_name}

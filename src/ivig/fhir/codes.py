"""Code systems, codes and small FHIR element builders the mappers share.

Codes are from docs/reference/codes.md s11 unless a line says otherwise."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from ivig.clinical.catalog import Product, default_catalog
from ivig.fhir.addresses import fhir_base

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
SNOMED = "http://snomed.info/sct"
GTIN = "https://www.gs1.org/gtin"
IDENTIFIER_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
PERFORM_FUNCTION = "http://terminology.hl7.org/CodeSystem/med-admin-perform-function"
# SNOMED CT route concepts: 47625008 |Intravenous route|, 34206005 |Subcutaneous route|.
ROUTES = {
    "iv": {
        "coding": [{"system": SNOMED, "code": "47625008", "display": "Intravenous route"}],
        "text": "Intravenous",
    },
    "sc": {
        "coding": [{"system": SNOMED, "code": "34206005", "display": "Subcutaneous route"}],
        "text": "Subcutaneous",
    },
}
ACTIVE_INGREDIENT = "Human normal immunoglobulin (IgG)"


def ivig_url(path: str) -> str:
    """A canonical URL of ours (questionnaires, code systems), under the FHIR API's base URL (the site's
    public address, or the address of the request being served: ivig.fhir.addresses). Each resolves: the
    API serves them (ivig.fhir.definitions)."""
    return f"{fhir_base()}{path.lstrip('/')}"


def mrn_system() -> str:
    """The site's identifier system for medical record numbers (setting FHIR_MRN_SYSTEM): one place,
    ``ivig.patients.identity``, which the import's matching reads too."""
    from ivig.patients.identity import mrn_system as ours  # a Django models module: imported when used

    return ours()


def number(value: Decimal | float | int) -> int | float:
    """A JSON number for a FHIR decimal (Decimal is not JSON): whole values as integers, others as floats."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def quantity(value: Decimal | float | int, unit: str, code: str | None = None) -> dict[str, Any]:
    """A UCUM Quantity: ``unit`` is what people read, ``code`` the UCUM code (the unit when they agree)."""
    return {"value": number(value), "unit": unit, "system": UCUM, "code": code or unit}


def coding(system: str, code: str, display: str = "") -> dict[str, str]:
    found = {"system": system, "code": code}
    if display:
        found["display"] = display
    return found


def person(user: Any, resource_type: str = "Practitioner") -> dict[str, str]:
    """A reference to a staff member or family member by name (people are not served as resources)."""
    return {"type": resource_type, "display": user.display_name}


def instant(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def compact(data: dict[str, Any]) -> dict[str, Any]:
    """Drop keys whose value is None or empty: FHIR forbids empty elements."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


@cache
def _products() -> dict[str, Product]:
    return {product.slug: product for product in default_catalog().all()}


def catalog_product(slug: str) -> Product | None:
    """The catalog product with this slug (looked up once per process: export reads it per row)."""
    return _products().get(slug)


def product_text(slug: str) -> str:
    product = catalog_product(slug)
    return product.name if product else slug

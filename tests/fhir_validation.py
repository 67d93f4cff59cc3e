"""Validate FHIR R4 JSON with two libraries: fhir.resources (R4B models) and fhirclient (strict R4)."""

from __future__ import annotations

import importlib
import json
from typing import Any


def validate_r4(resource: dict[str, Any]) -> None:
    """Raise if either library rejects the resource (after a JSON round trip, as a client would see it)."""
    from fhir.resources.R4B import get_fhir_model_class

    data = json.loads(json.dumps(resource))
    resource_type = data["resourceType"]
    get_fhir_model_class(resource_type).model_validate(data)
    module = importlib.import_module(f"fhirclient.models.{resource_type.lower()}")
    # strict=True: fhirclient raises FHIRValidationError on unknown, missing or mistyped elements.
    getattr(module, resource_type)(jsondict=data, strict=True)

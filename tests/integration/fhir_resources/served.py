"""Read resources the way the API does: through the registry's sources."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from ivig.fhir import registry, resources

# What the API's app config does at start-up: import every mapper so it registers its sources.
for module in pkgutil.iter_modules(resources.__path__):
    importlib.import_module(f"{resources.__name__}.{module.name}")


def served(resource_type: str, **searches: str) -> list[dict[str, Any]]:
    """Every resource of a type, each source narrowed by the given search values (a source that lacks a
    parameter serves nothing for it, as the API would refuse it)."""
    found = []
    for source in registry.sources(resource_type):
        if any(name not in source.search for name in searches):
            continue
        queryset = source.base_queryset()
        for name, value in searches.items():
            queryset = source.search[name](queryset, value)
        found.extend(source.resource(row) for row in queryset)
    return found


def by_id(resource_type: str) -> dict[str, dict[str, Any]]:
    return {resource["id"]: resource for resource in served(resource_type)}

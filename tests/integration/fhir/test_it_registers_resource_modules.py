"""A mapper module registers its sources just by existing under ivig.fhir.resources."""

from __future__ import annotations

import pkgutil

from ivig.fhir import registry, resources
from ivig.fhir.apps import load_resource_modules


def test_it_imports_every_resource_module_when_django_starts():
    names = {module.name for module in pkgutil.iter_modules(resources.__path__)}

    loaded = {name.rsplit(".", 1)[1] for name in load_resource_modules()}

    assert loaded == names
    assert {"Patient", "Medication", "MedicationRequest", "MedicationDispense"} <= set(
        registry.resource_types()
    )

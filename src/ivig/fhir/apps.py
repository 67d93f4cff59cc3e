"""The FHIR app: every module of ``ivig.fhir.resources`` registers its sources when Django starts."""

from __future__ import annotations

import importlib
import pkgutil

from django.apps import AppConfig


class FhirConfig(AppConfig):
    name = "ivig.fhir"
    label = "fhir"
    verbose_name = "FHIR API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        load_resource_modules()


def load_resource_modules() -> list[str]:
    """Import every mapper module, so a module registers its sources just by existing."""
    from ivig.fhir import resources

    names = []
    for module in pkgutil.iter_modules(resources.__path__, prefix=f"{resources.__name__}."):
        importlib.import_module(module.name)
        names.append(module.name)
    return names

"""The contract between FHIR resource mappers and the FHIR API.

Each FHIR resource type is served from one or more *sources*: a Django model whose rows map one-to-one to
resources of that type (Observation, for instance, comes from vital signs and from lab results). A mapper
module under ``ivig.fhir.resources`` builds its sources and registers them with ``register``; the API
(``ivig.fhir.api``) reads the registry for reading, searching, paging and bulk export, so adding a resource
type never touches the API code.

Resource ids are ``"<id_prefix>-<pk>"`` (or ``"<pk>"`` when the source has no prefix) so two sources of one
type never collide. References to other resources use the same ids: ``fhir_id(source, obj)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Model, QuerySet

from ivig.fhir.codes import instant

# A search parameter narrows a queryset by one request value; it raises SearchError on a value it cannot use.
SearchFilter = Callable[[QuerySet[Any], str], QuerySet[Any]]
# Turn one row into a FHIR R4 resource as a JSON-ready dict (it must validate with fhir.resources R4B and
# with fhirclient's strict R4 models).
ToFhir = Callable[[Any], dict[str, Any]]


class SearchError(ValueError):
    """A search value that cannot be used; the message is shown to the API client (HTTP 400)."""


@dataclass(frozen=True)
class Source:
    resource_type: str  # "Observation"
    model: type[Model]
    to_fhir: ToFhir
    # ORM path from the model to patients.Patient ("order__patient"); "" for the Patient itself; None when
    # rows belong to no patient (Medication, Schedule): patient tokens see none of them unless
    # patient_filter is given.
    patient_path: str | None
    # The role permission (ivig.accounts.roles) a user needs to read this source.
    permission: str
    id_prefix: str = ""
    search: dict[str, SearchFilter] = field(default_factory=dict)
    # Makes the base queryset (select_related/prefetch_related so a page of resources is a constant number of
    # queries); defaults to model._default_manager.all().
    queryset: Callable[[], QuerySet[Any]] | None = None
    # For sources with no patient_path that a patient may still see (e.g. the Medication of their own
    # dispensings): narrows the queryset to what that patient may read.
    patient_filter: Callable[[QuerySet[Any], Any], QuerySet[Any]] | None = None
    # ORM path to the row's last change (an aware datetime): the resource's meta.lastUpdated, the
    # `_lastUpdated` search parameter and bulk export's `_since`.
    updated_field: str = "updated_at"
    # ORM path to the id of the patient a row is about, for the access log (ivig.fhir.access_log), when
    # patient_path cannot say it (an audit row holds a patient id, not a foreign key).
    audit_patient: str | None = None

    def resource(self, obj: Any) -> dict[str, Any]:
        """The row as a FHIR resource, its meta.lastUpdated set from `updated_field`."""
        resource = self.to_fhir(obj)
        updated = last_updated(obj, self.updated_field)
        if updated is not None:
            meta = dict(resource.get("meta") or {})
            meta["lastUpdated"] = instant(updated)
            # meta comes first after id, as FHIR's JSON examples order it (readers do not care).
            head = {key: resource[key] for key in ("resourceType", "id") if key in resource}
            rest = {k: v for k, v in resource.items() if k not in ("resourceType", "id", "meta")}
            resource = {**head, "meta": meta, **rest}
        return resource

    def patient_key(self) -> str | None:
        """ORM path to the id of the patient a row is about; None when rows are about no patient."""
        if self.audit_patient is not None:
            return self.audit_patient
        if self.patient_path is None:
            return None
        return self.patient_path or "pk"

    def base_queryset(self) -> QuerySet[Any]:
        if self.queryset is not None:
            return self.queryset()
        return self.model._default_manager.all()


def last_updated(obj: Any, path: str) -> datetime | None:
    """Follow an ORM path ("session__updated_at") on a row."""
    value: Any = obj
    for part in path.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value if isinstance(value, datetime) else None


_REGISTRY: dict[str, list[Source]] = {}


def register(*sources: Source) -> None:
    """Add sources to the registry (idempotent per resource type and id prefix)."""
    for source in sources:
        existing = _REGISTRY.setdefault(source.resource_type, [])
        existing[:] = [s for s in existing if s.id_prefix != source.id_prefix]
        existing.append(source)


def sources(resource_type: str) -> list[Source]:
    return list(_REGISTRY.get(resource_type, ()))


def resource_types() -> list[str]:
    return sorted(_REGISTRY)


def all_sources() -> Iterable[Source]:
    for name in resource_types():
        yield from _REGISTRY[name]


def fhir_id(source_prefix: str, pk: object) -> str:
    return f"{source_prefix}-{pk}" if source_prefix else str(pk)


def reference(resource_type: str, pk: object, *, id_prefix: str = "") -> dict[str, str]:
    """A FHIR Reference to another resource served by this registry."""
    return {"reference": f"{resource_type}/{fhir_id(id_prefix, pk)}"}

"""Group: one per care site (id = the CareSite's pk), its members the site's patients.

A Group of people that exist (type person, actual true), so `Group/{id}/$export` (FHIR Bulk Data) exports
the records of one site's patients. Membership is the patients' current care site.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from ivig.accounts.roles import VIEW_PATIENT
from ivig.fhir.codes import compact
from ivig.fhir.registry import Source, reference, register
from ivig.patients.models import Patient
from ivig.siteconfig.models import CareSite


def to_fhir(site: CareSite) -> dict[str, Any]:
    members = [{"entity": reference("Patient", patient.pk)} for patient in site.patients.all()]
    return compact(
        {
            "resourceType": "Group",
            "id": str(site.pk),
            "active": site.active,
            "type": "person",
            "actual": True,
            "name": f"Patients of {site.name}",
            "quantity": len(members),
            "member": members,
        }
    )


def sites() -> QuerySet[CareSite]:
    members = Patient.objects.only("pk", "care_site_id").order_by("pk")
    return CareSite.objects.prefetch_related(Prefetch("patients", queryset=members)).order_by("pk")


def members(group_id: int) -> QuerySet[Patient]:
    """The Group's patients (a bulk export's patient scope)."""
    return Patient.objects.filter(care_site_id=group_id)


register(
    Source(
        resource_type="Group",
        model=CareSite,
        to_fhir=to_fhir,
        patient_path=None,  # a Group is not in a patient's compartment
        permission=VIEW_PATIENT,
        queryset=sites,
    )
)

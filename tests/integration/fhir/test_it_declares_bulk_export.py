"""The CapabilityStatement declares Bulk Data export at the system level, on Patient and on Group (the IG's
OperationDefinitions), and a Group (a care site's patients) is a valid R4 resource that reads and searches."""

from __future__ import annotations

import pytest

from ivig.patients.models import Patient
from tests.factories.patients import CareSiteFactory
from tests.fhir_validation import validate_r4

pytestmark = pytest.mark.django_db

BULK = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/"


def test_it_declares_the_three_export_operations(fhir):
    statement = fhir("metadata").data
    rest = statement["rest"][0]
    by_type = {resource["type"]: resource for resource in rest["resource"]}

    assert rest["operation"] == [{"name": "export", "definition": f"{BULK}export"}]
    assert by_type["Patient"]["operation"] == [{"name": "export", "definition": f"{BULK}patient-export"}]
    assert by_type["Group"]["operation"] == [{"name": "export", "definition": f"{BULK}group-export"}]
    validate_r4(statement)


def test_it_serves_a_care_site_as_a_group_of_its_patients(fhir, make_user, make_patient, make_token):
    admin = make_user("Admin")
    token = make_token(admin)
    site = CareSiteFactory(name="Home infusion")
    patients = [make_patient(admin, mrn=f"GR{n}") for n in range(2)]
    Patient.objects.filter(pk__in=[p.pk for p in patients]).update(care_site=site)

    group = fhir(f"Group/{site.pk}", token).data

    validate_r4(group)
    assert (group["type"], group["actual"], group["quantity"]) == ("person", True, 2)
    assert [m["entity"]["reference"] for m in group["member"]] == [f"Patient/{p.pk}" for p in patients]
    assert group["meta"]["lastUpdated"]
    assert fhir("Group", token).data["total"] == 1

"""Issue 18: gender "F" was stored as unknown. fhir.resources checks a code's form, not its value set; the
import checks the required bindings of what it reads (ivig.fhir.bindings) and names the entry and element."""

from __future__ import annotations

import pytest

from ivig.fhir.importing import import_bundle
from ivig.patients.models import LabResult, Patient
from tests.integration.fhir_resources.bundles import bundle, lab, patient, ref

pytestmark = pytest.mark.django_db


def _patient_with(path, value):
    entry = patient("RB600001")
    node = entry["resource"]
    *parents, last = path
    for step in parents:
        node = node[step]
    node[last] = value
    return entry


@pytest.mark.parametrize(
    ("path", "value", "expression", "says"),
    [
        (["gender"], "F", "resource.gender", "male, female, other or unknown"),
        (["gender"], "Female", "resource.gender", "AdministrativeGender"),
        (["identifier", 1, "use"], "primary", "resource.identifier[1].use", "IdentifierUse"),
        (["name", 0, "use"], "legal", "resource.name[0].use", "NameUse"),
    ],
)
def test_it_refuses_a_patient_code_outside_its_value_set(make_user, path, value, expression, says):
    result = import_bundle(bundle=bundle(_patient_with(path, value)), by=make_user("Nurse"))

    assert result.status_code == 422
    (issue,) = result.resource["issue"]
    assert issue["code"] == "code-invalid"
    assert issue["expression"] == [f"Bundle.entry[0].{expression}"]
    assert says in issue["diagnostics"] and repr(value) in issue["diagnostics"]
    assert Patient.objects.count() == 0


def test_other_gender_is_accepted_as_not_recorded(make_user):
    result = import_bundle(bundle=bundle(_patient_with(["gender"], "other")), by=make_user("Nurse"))

    assert result.ok, result.resource
    assert Patient.objects.get().sex_at_birth == "unknown"


@pytest.mark.parametrize(
    ("change", "expression", "code", "says"),
    [
        ({"status": "F"}, "resource.status", "code-invalid", "ObservationStatus"),
        ({"status": "preliminary"}, "resource.status", "invalid", "Only final results"),
        ({"comparator": "~"}, "resource.valueQuantity.comparator", "code-invalid", "QuantityComparator"),
        (
            {"comparator": "<"},
            "resource.valueQuantity.comparator",
            "not-supported",
            "a limit, not a measured",
        ),
    ],
)
def test_it_refuses_a_result_code_outside_its_value_set(make_user, change, expression, code, says):
    mia = patient("RB600002")
    result_entry = lab(ref(mia))
    if "status" in change:
        result_entry["resource"]["status"] = change["status"]
    else:
        result_entry["resource"]["valueQuantity"]["comparator"] = change["comparator"]

    result = import_bundle(bundle=bundle(mia, result_entry), by=make_user("Nurse"))

    assert result.status_code == 422
    (issue,) = result.resource["issue"]
    assert (issue["code"], issue["expression"]) == (code, [f"Bundle.entry[1].{expression}"])
    assert says in issue["diagnostics"]
    assert LabResult.objects.count() == 0

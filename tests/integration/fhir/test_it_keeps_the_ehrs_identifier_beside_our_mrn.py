"""Issue 18: an EHR's own identifier system was replaced by ours on import. Our MRN is the identifier of our
system (or of a system mapped as our MRNs); identifiers of mapped systems are kept beside it, served in the
Patient resource and searchable; a patient identified only by a system we do not know is refused."""

from __future__ import annotations

import pytest

from ivig.audit.models import AuditEvent
from ivig.fhir.importing import import_bundle
from ivig.patients.models import Patient, PatientIdentifier
from tests.factories.patients import IdentifierSystemFactory
from tests.fhir_validation import validate_r4
from tests.integration.fhir_resources.bundles import HOSPITAL, OTHER, OURS, bundle, patient

pytestmark = pytest.mark.django_db


def test_it_keeps_and_serves_a_mapped_systems_identifier(make_user, make_token, fhir):
    nurse = make_user("Nurse")
    IdentifierSystemFactory()

    result = import_bundle(
        bundle=bundle(patient("EHR100", also=[{"system": OTHER, "value": "a-77"}])), by=nurse
    )

    assert result.ok, result.resource
    mia = Patient.objects.get(mrn="EHR100")
    assert list(mia.identifiers.values_list("system", "value")) == [(OTHER, "a-77")]  # as sent, case kept
    created = AuditEvent.objects.get(action="patient.create", patient_id=mia.pk)
    assert created.after["identifiers"] == [f"{OTHER}|a-77"]
    token = make_token(nurse)
    served = fhir(f"Patient/{mia.pk}", token).data
    validate_r4(served)
    assert [(i["system"], i["value"]) for i in served["identifier"]] == [(OURS, "EHR100"), (OTHER, "a-77")]
    assert served["identifier"][0]["type"]["coding"][0]["code"] == "MR"
    for query, total in [
        (f"{OTHER}|a-77", 1),
        ("a-77", 1),
        ("|a-77", 0),
        (f"{OURS}|a-77", 0),
        (f"{OURS}|ehr100", 1),
        (f"{OURS}|EHR100,{OTHER}|a-77", 1),
    ]:
        assert fhir("Patient", token, identifier=query).data["total"] == total, query


def test_a_system_mapped_as_our_mrns_gives_the_mrn_and_is_kept(make_user):
    IdentifierSystemFactory(ours=True)

    result = import_bundle(bundle=bundle(patient("rb400004", system=HOSPITAL)), by=make_user("Nurse"))

    assert result.ok, result.resource
    leo = Patient.objects.get()
    assert leo.mrn == "RB400004"
    assert list(leo.identifiers.values_list("system", "value")) == [(HOSPITAL, "rb400004")]


@pytest.mark.parametrize(
    ("identifiers", "says", "code"),
    [
        ([{"system": HOSPITAL, "value": "RB100001"}], HOSPITAL, "not-supported"),
        ([{"system": OTHER, "value": "H-9"}], "no MRN of ours", "required"),
        ([{"value": "RB100001"}], "without a system", "required"),
        ([{"system": OURS, "value": "RB1", "use": "old"}], "needs an identifier", "required"),
        (
            [{"system": OURS, "value": "RB1"}, {"system": HOSPITAL, "value": "RB2"}],
            "two different MRNs",
            None,
        ),
    ],
)
def test_it_refuses_a_patient_without_one_mrn_of_ours(make_user, identifiers, says, code):
    IdentifierSystemFactory()
    if code is None:
        IdentifierSystemFactory(ours=True)
    sent = patient("unused")
    sent["resource"]["identifier"] = identifiers

    result = import_bundle(bundle=bundle(sent), by=make_user("Nurse"))

    assert result.status_code == 422
    (issue,) = result.resource["issue"]
    assert says in issue["diagnostics"] and issue["expression"] == ["Bundle.entry[0].resource.identifier"]
    assert code is None or issue["code"] == code
    assert Patient.objects.count() == 0


def test_another_systems_identifier_names_one_patient_only(make_user):
    nurse = make_user("Nurse")
    IdentifierSystemFactory()
    assert import_bundle(
        bundle=bundle(patient("EHR200", also=[{"system": OTHER, "value": "H-1"}])), by=nurse
    ).ok

    twice = bundle(
        patient("EHR201", also=[{"system": OTHER, "value": "H-1"}]),  # on file for EHR200
        patient("EHR202", also=[{"system": OTHER, "value": "H-2"}]),
        patient("EHR203", also=[{"system": OTHER, "value": "H-2"}]),  # twice in the bundle
    )
    result = import_bundle(bundle=twice, by=nurse)

    assert result.status_code == 422
    diagnostics = [issue["diagnostics"] for issue in result.resource["issue"]]
    assert "already on file" in diagnostics[0] and "H-1" in diagnostics[0]
    assert "also in entry 1" in diagnostics[1]
    assert PatientIdentifier.objects.count() == 1 and Patient.objects.count() == 1

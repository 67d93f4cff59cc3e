"""Issue 18: a lab result for another hospital's MRN RB100001 was filed under our RB100001. A subject found by
identifier now matches system and value together: ours, or a system in the site table; any other system is
refused, naming it, and nothing is written."""

from __future__ import annotations

from datetime import date

import pytest

from ivig.fhir.importing import import_bundle
from ivig.patients.models import LabResult, Patient, PatientIdentifier
from tests.factories.patients import IdentifierSystemFactory
from tests.integration.fhir_resources.bundles import HOSPITAL, OTHER, OURS, bundle, lab, patient

pytestmark = pytest.mark.django_db


@pytest.fixture
def ours(make_user, make_patient):
    nurse = make_user("Nurse")
    return nurse, make_patient(nurse, mrn="RB100001")


@pytest.mark.parametrize(
    "subject",
    [
        {"reference": f"Patient?identifier={OTHER}|RB100001"},
        {"reference": "Patient?identifier=http%3A%2F%2Fother-hospital.example%2Fmrn%7CRB100001"},
        {"identifier": {"system": OTHER, "value": "RB100001"}},
    ],
)
def test_another_hospitals_mrn_does_not_find_our_patient_with_that_number(ours, subject):
    nurse, _patient = ours

    result = import_bundle(bundle=bundle(lab(subject)), by=nurse)

    assert result.status_code == 422
    (issue,) = result.resource["issue"]
    assert issue["code"] == "not-supported"
    assert issue["expression"] == ["Bundle.entry[0].resource.subject"]
    assert OTHER in issue["diagnostics"] and "unknown" in issue["diagnostics"]
    assert LabResult.objects.count() == 0


@pytest.mark.parametrize(
    "subject",
    [
        {"reference": "Patient?identifier=RB100001"},  # any system
        {"reference": "Patient?identifier=|RB100001"},  # no system
        {"identifier": {"value": "RB100001"}},
    ],
)
def test_a_number_without_its_system_finds_no_one(ours, subject):
    nurse, _patient = ours

    result = import_bundle(bundle=bundle(lab(subject)), by=nurse)

    assert result.status_code == 422
    (issue,) = result.resource["issue"]
    assert "Give the identifier's system" in issue["diagnostics"]
    assert f"{OURS}|RB100001" in issue["diagnostics"]  # says how to name ours
    assert LabResult.objects.count() == 0


def test_our_system_finds_our_patient_whatever_the_case(ours):
    nurse, known = ours

    result = import_bundle(bundle=bundle(lab({"reference": f"Patient?identifier={OURS}|rb100001"})), by=nurse)

    assert result.ok, result.resource
    assert LabResult.objects.get().patient == known


def test_a_mapped_external_system_finds_only_the_patient_imported_with_that_identifier(ours):
    nurse, known = ours
    IdentifierSystemFactory()
    # The other hospital's RB100001 is our RB200002: a different child.
    theirs = patient("RB200002", given="Leo", also=[{"system": OTHER, "value": "RB100001"}])
    first = import_bundle(bundle=bundle(theirs), by=nurse)
    assert first.ok, first.resource
    leo = Patient.objects.get(mrn="RB200002")

    result = import_bundle(
        bundle=bundle(
            lab({"reference": f"Patient?identifier={OTHER}|RB100001"}),
            lab(
                {"identifier": {"system": OTHER, "value": "RB100001"}}, code="777-3", value=45, unit="10*9/L"
            ),
        ),
        by=nurse,
    )

    assert result.ok, result.resource
    assert set(LabResult.objects.values_list("patient", flat=True)) == {leo.pk}
    assert not LabResult.objects.filter(patient=known).exists()
    unknown = import_bundle(
        bundle=bundle(lab({"reference": f"Patient?identifier={OTHER}|RB100009"})), by=nurse
    )
    assert unknown.status_code == 422 and unknown.resource["issue"][0]["code"] == "not-found"


def test_a_conditional_reference_finds_a_patient_of_the_same_bundle(ours):
    nurse, _known = ours
    IdentifierSystemFactory()
    mia = patient("RB300003", also=[{"system": OTHER, "value": "H-1"}])

    result = import_bundle(
        bundle=bundle(mia, lab({"reference": f"Patient?identifier={OTHER}|H-1"})), by=nurse
    )

    assert result.ok, result.resource
    assert LabResult.objects.get().patient.mrn == "RB300003"


def test_a_system_mapped_as_our_mrns_finds_our_patient(ours):
    nurse, known = ours
    IdentifierSystemFactory(ours=True)

    result = import_bundle(
        bundle=bundle(lab({"reference": f"Patient?identifier={HOSPITAL}|RB100001"})), by=nurse
    )

    assert result.ok, result.resource
    assert LabResult.objects.get().patient == known


def test_an_inactive_mapping_is_refused_like_an_unknown_system(ours):
    nurse, _known = ours
    IdentifierSystemFactory(ours=True, active=False)

    result = import_bundle(
        bundle=bundle(lab({"reference": f"Patient?identifier={HOSPITAL}|RB100001"})), by=nurse
    )

    assert result.status_code == 422 and HOSPITAL in result.resource["issue"][0]["diagnostics"]
    assert LabResult.objects.count() == 0


def test_subjects_are_found_in_a_bounded_number_of_queries(make_user, django_assert_max_num_queries):
    nurse = make_user("Nurse")
    IdentifierSystemFactory()
    IdentifierSystemFactory(ours=True)
    people = Patient.objects.bulk_create(
        Patient(mrn=f"Q{n:04d}", given_name="Kid", family_name=f"Q{n}", date_of_birth=date(2015, 1, 1))
        for n in range(60)
    )
    PatientIdentifier.objects.bulk_create(
        PatientIdentifier(patient=person, system=OTHER, value=f"O-{n}") for n, person in enumerate(people)
    )
    subjects = [
        *({"reference": f"Patient?identifier={OURS}|Q{n:04d}"} for n in range(20)),
        *({"identifier": {"system": OTHER, "value": f"O-{n}"}} for n in range(20, 40)),
        *({"reference": f"Patient?identifier={HOSPITAL}|q{n:04d}"} for n in range(40, 50)),
        *({"reference": f"Patient/{people[n].pk}"} for n in range(50, 60)),
    ]
    entries = [lab(subject) for subject in subjects]
    entries.append(lab({"reference": f"Patient?identifier={OTHER}|nobody"}))  # refused: nothing is written

    with django_assert_max_num_queries(8):
        refused = import_bundle(bundle=bundle(*entries), by=nurse)

    assert refused.status_code == 422
    assert [issue["expression"] for issue in refused.resource["issue"]] == [
        ["Bundle.entry[60].resource.subject"]
    ]
    assert import_bundle(bundle=bundle(*entries[:-1]), by=nurse).ok
    assert LabResult.objects.filter(patient__in=people).count() == 60

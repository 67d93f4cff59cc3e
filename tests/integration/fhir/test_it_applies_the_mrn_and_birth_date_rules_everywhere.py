"""Issue 18: an import accepted `rb100001` beside `RB100001` (two patients), MRNs with markup, spaces, NUL
bytes or bidi characters, and birth dates 0001-01-01 and 1899-12-31. The Patient model now holds the page's
rules, so the import, the registration page, the actions (and the CLI, which imports) all refuse them, and
the database refuses MRNs that differ only by case even from code that goes around the model."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from ivig.fhir.importing import import_bundle
from ivig.patients import actions
from ivig.patients.models import Patient
from tests.integration.fhir_resources.bundles import bundle, patient

pytestmark = pytest.mark.django_db

BAD_MRNS = [
    ("RB<b>1</b>", "markup"),
    ("RB 100", "a space"),
    ("RB\x00100", "NUL byte"),
    ("RB\x1b100", "control character"),
    ("RB\u202e100", "text-direction character (U+202E)"),
    ("RB100\u2067", "text-direction character (U+2067)"),
    ("RB\u200e100", "text-direction character (U+200E)"),
]


def test_an_import_refuses_an_mrn_that_differs_only_by_case(make_user, make_patient):
    nurse = make_user("Nurse")
    make_patient(nurse, mrn="RB100001")

    result = import_bundle(
        bundle=bundle(patient("rb100001"), patient("rb100002"), patient(" RB100002 ")), by=nurse
    )

    assert result.status_code == 422
    issues = {issue["expression"][0]: issue for issue in result.resource["issue"]}
    on_file = issues["Bundle.entry[0].resource.identifier"]
    twice = issues["Bundle.entry[2].resource.identifier"]
    assert on_file["code"] == "duplicate" and "RB100001 is already on file" in on_file["diagnostics"]
    assert "also in entry 1" in twice["diagnostics"]
    assert list(Patient.objects.values_list("mrn", flat=True)) == ["RB100001"]


def test_an_import_stores_the_mrn_normalised(make_user):
    assert import_bundle(bundle=bundle(patient("rb100003")), by=make_user("Nurse")).ok
    assert Patient.objects.get().mrn == "RB100003"


@pytest.mark.parametrize(("mrn", "says"), BAD_MRNS)
def test_an_import_refuses_an_mrn_with_markup_spaces_or_invisible_characters(make_user, mrn, says):
    result = import_bundle(bundle=bundle(patient(mrn)), by=make_user("Nurse"))

    assert result.status_code == 422
    (issue,) = result.resource["issue"]
    assert issue["expression"][0].startswith("Bundle.entry[0].resource")
    assert says in issue["diagnostics"]
    assert Patient.objects.count() == 0


@pytest.mark.parametrize(("born", "says"), [("0001-01-01", "before 1900"), ("1899-12-31", "before 1900")])
def test_an_import_refuses_an_implausible_birth_date(make_user, born, says):
    result = import_bundle(bundle=bundle(patient("RB100004", born=born)), by=make_user("Nurse"))

    assert result.status_code == 422
    (issue,) = result.resource["issue"]
    assert issue["expression"] == ["Bundle.entry[0].resource.birthDate"] and says in issue["diagnostics"]
    assert Patient.objects.count() == 0


def test_an_import_refuses_a_name_with_a_nul_byte(make_user):
    result = import_bundle(bundle=bundle(patient("RB100005", family="Ng\x00")), by=make_user("Nurse"))

    assert result.status_code == 422 and "NUL" in result.resource["issue"][0]["diagnostics"]
    assert result.resource["issue"][0]["expression"] == ["Bundle.entry[0].resource.name"]


def _register(nurse, mrn, born=date(2015, 4, 2)):
    return actions.create_patient(
        by=nurse, mrn=mrn, given_name="Mia", family_name="Ng", date_of_birth=born, sex_at_birth="female"
    )


def test_the_action_every_path_uses_normalises_and_refuses_a_case_duplicate(make_user):
    nurse = make_user("Nurse")
    assert _register(nurse, "  rb100006 ").mrn == "RB100006"

    with pytest.raises(ValidationError) as refused:
        _register(nurse, "Rb100006")

    assert "already exists" in str(refused.value) or "already has" in str(refused.value)
    assert Patient.objects.count() == 1


@pytest.mark.parametrize(
    ("mrn", "born", "says"),
    [
        *((mrn, date(2015, 4, 2), says) for mrn, says in BAD_MRNS),
        ("RB100007", date(1, 1, 1), "before 1900"),
        ("RB100007", date(1899, 12, 31), "before 1900"),
        ("RB100007", date(2999, 1, 1), "cannot be in the future"),
    ],
)
def test_the_action_refuses_bad_mrns_and_birth_dates(make_user, mrn, born, says):
    with pytest.raises(ValidationError) as refused:
        _register(make_user("Nurse"), mrn, born)

    assert says in str(refused.value)
    assert Patient.objects.count() == 0


def test_the_database_refuses_mrns_that_differ_only_by_case(make_user):
    _register(make_user("Nurse"), "RB100008")
    twin = Patient(mrn="rb100008", given_name="Leo", family_name="Ng", date_of_birth=date(2015, 4, 2))

    with pytest.raises(IntegrityError), transaction.atomic():
        Patient.objects.bulk_create([twin])  # around save() and full_clean()


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"mrn": "rb100009"}, "already has this medical record number"),
        ({"mrn": "RB\u202e100010"}, "text-direction character"),
        ({"mrn": "RB<1>"}, "markup"),
        ({"date_of_birth": "1899-12-31"}, "before 1900"),
        ({"date_of_birth": "0001-01-01"}, "before 1900"),
    ],
)
def test_the_registration_page_gives_the_same_messages(client, make_user, make_patient, changes, says):
    nurse = make_user("Nurse")
    make_patient(nurse, mrn="RB100009")
    client.force_login(nurse)
    form = {
        "mrn": "RB100011",
        "given_name": "Ivy",
        "family_name": "Hart",
        "date_of_birth": "2015-03-02",
        "sex_at_birth": "female",
        "care_site": "",
        "weight": "30",
        "weight_unit": "kg",
        "height": "",
        "height_unit": "cm",
        **changes,
    }

    response = client.post(reverse("patients:create"), form)

    assert response.status_code == 400
    assert says in response.content.decode()
    assert Patient.objects.count() == 1

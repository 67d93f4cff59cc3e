"""The same date of birth and nearly the same name under a new MRN: the form shows the match and asks."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from ivig.audit.models import AuditEvent
from ivig.patients.matching import edit_distance, names_match
from ivig.patients.models import Patient

pytestmark = pytest.mark.django_db

BORN = date(2016, 3, 9)


def _form(mrn, given, family, born=BORN, **extra):
    return {
        "mrn": mrn,
        "given_name": given,
        "family_name": family,
        "date_of_birth": born.isoformat(),
        "sex_at_birth": "female",
        "weight": "21",
        "weight_unit": "kg",
        "height_unit": "cm",
    } | extra


@pytest.fixture
def registrar(client, make_user):
    user = make_user("Nurse")
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    ("known", "entered"),
    [(("Zoë", "Müller"), ("Zoe", "Muller")), (("Jon", "Smith"), ("Jon", "Smtih"))],
)
def test_it_shows_the_possible_match_and_registers_only_once_confirmed(client, registrar, known, entered):
    url = reverse("patients:create")
    client.post(url, _form("A100", *known))
    existing = Patient.objects.get(mrn="A100")

    asked = client.post(url, _form("B200", *entered))

    html = asked.content.decode()
    assert asked.status_code == 400 and 'data-testid="possible-matches"' in html
    assert "A100" in html and reverse("patients:detail", args=[existing.pk]) in html
    assert not Patient.objects.filter(mrn="B200").exists()

    confirmed = client.post(url, _form("B200", *entered, confirm_new_person="on"))
    created = Patient.objects.get(mrn="B200")
    assert confirmed.status_code == 302
    event = AuditEvent.objects.get(action="patient.create", target_id=str(created.pk))
    assert event.after["confirmed_not_same_person_as"] == ["A100"]


def test_another_birthday_or_another_name_is_not_asked_about(client, registrar):
    url = reverse("patients:create")
    client.post(url, _form("A100", "Jon", "Smith"))

    assert client.post(url, _form("B200", "Jon", "Smith", born=date(2016, 3, 10))).status_code == 302
    assert client.post(url, _form("C300", "Joanna", "Smithers")).status_code == 302


def test_names_match_with_accents_slips_and_the_names_swapped():
    assert names_match("Zoe", "Muller", "Zoë", "Müller")
    assert names_match("Jon", "Smtih", "Jon", "Smith")
    assert names_match("Smith", "Jon", "Jon", "Smith")
    assert names_match("Anne-Marie", "O'Neil", "Anne Marie", "ONeil")
    assert not names_match("Ava", "Jones", "Mia", "Smith")
    assert edit_distance("smtih", "smith") == 1 and edit_distance("kitten", "sitting") == 3

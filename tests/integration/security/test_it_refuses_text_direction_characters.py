"""Names, lot numbers and stock locations refuse invisible text-direction characters (right-to-left override,
embeddings, isolates, marks), with a message naming the character; the same check on page and action."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ivig.inventory.ledger import StockError
from ivig.inventory.location_actions import save_location
from ivig.inventory.models import Location, Lot
from ivig.patients.models import Patient

pytestmark = pytest.mark.django_db

CONTROLS = ["\u202e", "\u202a", "\u2066", "\u2069", "\u200e", "\u200f"]


@pytest.mark.parametrize("control", CONTROLS)
def test_it_refuses_them_in_a_patient_name(make_user, make_patient, control):
    with pytest.raises(ValidationError, match="text-direction character"):
        make_patient(make_user("Nurse"), given_name=f"Ada{control}")

    assert not Patient.objects.exists()


@pytest.mark.parametrize("control", ["\u202e", "\u200f"])
def test_it_refuses_them_in_a_lot_number(make_user, make_lot, control):
    with pytest.raises(StockError, match="text-direction character"):
        make_lot(make_user("Pharmacist"), lot_number=f"P1{control}00", expiry_date=date(2099, 1, 1))

    assert not Lot.objects.exists()


def test_it_refuses_them_in_a_location_name(make_user):
    before = Location.objects.count()

    with pytest.raises(StockError, match=r"U\+2067|text-direction character"):
        save_location(by=make_user("Pharmacist"), name="Fridge \u2067A\u2069", kind=Location.Kind.values[0])

    assert Location.objects.count() == before


def test_the_location_page_says_why(client, make_user):
    client.force_login(make_user("Pharmacist"))
    url = reverse("inventory:locations")

    response = client.post(url, {"name": "Fridge \u202e2", "kind": Location.Kind.values[0], "active": "on"})

    assert "text-direction character (U+202E" in response.content.decode()
    assert not Location.objects.filter(name__startswith="Fridge").exists()


def test_it_keeps_a_plain_right_to_left_name(make_user, make_patient):
    patient = make_patient(make_user("Nurse"), given_name="\u05d3\u05d5\u05d3")

    assert patient.given_name == "\u05d3\u05d5\u05d3"

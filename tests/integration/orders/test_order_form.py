"""The prescriber's order form: a live plan, bad input as form errors, save and sign."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from ivig.orders.models import TherapyOrder
from tests.drivers.orders import order_data, with_reasons

pytestmark = pytest.mark.django_db


def _child(make_patient, prescriber):
    today = date.today()
    born = date(today.year - 8, 1, 15)
    return make_patient(prescriber, given_name="Mia", date_of_birth=born, weight_kg="25", height_cm=None)


@pytest.fixture
def prescriber(client, make_user):
    user = make_user("Prescriber")
    client.force_login(user)
    return user


def test_it_previews_the_plan_while_the_order_is_written(client, prescriber, make_patient):
    patient = _child(make_patient, prescriber)
    response = client.post(reverse("orders:preview"), order_data(patient), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    text = response.content.decode()
    assert "25.0 kg" in text  # dosing weight
    assert "Day 2" in text
    assert "1 × 20.0 g + 1 × 5.0 g" in text
    assert "mL/h" in text
    assert TherapyOrder.objects.count() == 0, "a preview writes nothing"


def test_it_shows_the_pharmacy_choice_in_the_preview(client, prescriber, make_patient):
    patient = _child(make_patient, prescriber)
    response = client.post(reverse("orders:preview"), order_data(patient, product_slug=""))
    assert "Pharmacy chooses the product" in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("dose_g_per_kg", "abc", "Enter the dose (g/kg) as a number"),
        ("days", "-2", "greater than or equal to 1"),
        ("weight", "250", "10.0 times the last recorded weight"),
        ("lab_platelets_on", "2999-01-01", "cannot be in the future"),
    ],
)
def test_it_turns_bad_input_into_form_errors(client, prescriber, make_patient, field, value, message):
    patient = _child(make_patient, prescriber)
    response = client.post(
        reverse("orders:new", args=[patient.pk]), order_data(patient, **{field: value, "then": "sign"})
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert TherapyOrder.objects.count() == 0


def test_it_accepts_a_large_weight_change_once_confirmed(client, prescriber, make_patient):
    patient = _child(make_patient, prescriber)
    data = order_data(patient, weight="50", confirm_weight_change="on", then="draft")
    response = client.post(reverse("orders:new", args=[patient.pk]), data)
    assert response.status_code == 302
    assert TherapyOrder.objects.get().weight_kg == 50


def test_it_asks_for_a_reason_for_a_dose_outside_the_label(client, prescriber, make_patient):
    patient = _child(make_patient, prescriber)
    data = with_reasons(client, order_data(patient, dose_g_per_kg="1.5", days="1", then="sign"))
    data.pop("reason-dose-outside-range")
    response = client.post(reverse("orders:new", args=[patient.pk]), data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "Give your reason for each caution before signing" in page
    assert 'name="reason-dose-outside-range"' in page, "the reason box sits at the caution"
    assert not TherapyOrder.objects.filter(status="signed").exists()
    data["reason-dose-outside-range"] = "Refractory ITP, haematology advice"
    response = client.post(reverse("orders:new", args=[patient.pk]), data)
    assert response.status_code == 302
    order = TherapyOrder.objects.get(status="signed")
    assert order.caution_reasons["dose-outside-range"] == "Refractory ITP, haematology advice"


def test_it_saves_then_signs_an_order(client, prescriber, make_patient):
    patient = _child(make_patient, prescriber)
    data = with_reasons(client, order_data(patient, then="sign"))
    response = client.post(reverse("orders:new", args=[patient.pk]), data)
    order = TherapyOrder.objects.get()
    assert response.url == reverse("orders:detail", args=[order.pk])
    assert order.status == TherapyOrder.Status.SIGNED
    assert order.prescriber == prescriber
    page = client.get(response.url).content.decode()
    assert "Signed plan" in page
    assert order.reference in page


def test_it_refuses_to_sign_without_the_baseline_lab(client, prescriber, make_patient):
    patient = _child(make_patient, prescriber)
    data = with_reasons(client, order_data(patient, lab_platelets="", lab_platelets_on="", then="sign"))
    response = client.post(reverse("orders:new", args=[patient.pk]), data)
    assert response.status_code == 422
    assert "Platelets (x10^9/L) taken on or after" in response.content.decode()
    assert not TherapyOrder.objects.exists(), "a refused signature leaves no draft behind"


def test_it_keeps_a_signed_order_from_being_edited(client, prescriber, make_order):
    order = make_order(prescriber)
    response = client.get(reverse("orders:edit", args=[order.pk]))
    assert response.status_code == 302
    response = client.post(reverse("orders:edit", args=[order.pk]), {"weight": "30"})
    order.refresh_from_db()
    assert order.weight_kg == 25

"""Any role that may see orders sees the sheet; others are refused; unknown orders are 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["Prescriber", "Pharmacist", "Nurse", "Quality", "Approver", "Admin"])
def test_it_shows_the_sheet_to_every_role_that_sees_orders(client, make_user, make_order, role):
    order = make_order(make_user("Prescriber", username="doc"))
    client.force_login(make_user(role))
    assert client.get(reverse("orders:sheet", args=[order.pk])).status_code == 200


@pytest.mark.parametrize("name", ["orders:sheet", "orders:sheet_pdf"])
@pytest.mark.parametrize("role", ["Patient", "Scheduler"])
def test_it_refuses_roles_without_access_to_orders(client, make_user, make_order, role, name):
    order = make_order(make_user("Prescriber"))
    client.force_login(make_user(role))
    response = client.get(reverse(name, args=[order.pk]))
    assert response.status_code == 403
    assert order.patient.mrn.encode() not in response.content


def test_it_sends_anonymous_users_to_sign_in(client, make_user, make_order):
    order = make_order(make_user("Prescriber"))
    response = client.get(reverse("orders:sheet", args=[order.pk]))
    assert response.status_code == 302


def test_it_answers_404_for_an_unknown_order(client, make_user):
    client.force_login(make_user("Nurse"))
    assert client.get(reverse("orders:sheet", args=[999999])).status_code == 404
    assert client.get(reverse("orders:sheet_pdf", args=[999999])).status_code == 404

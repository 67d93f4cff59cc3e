"""An order that needed approval shows the decision and the authorisation's end date on its sheet."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from ivig.orders.actions import decide_authorisation
from ivig.orders.models import IndicationCriteria, TherapyOrder

pytestmark = pytest.mark.django_db


def test_it_shows_the_authorisation_end_date(client, make_user, make_order):
    latest = IndicationCriteria.objects.filter(indication="itp").order_by("-version").first()
    IndicationCriteria.objects.create(
        indication="itp",
        version=(latest.version if latest else 0) + 1,
        required_labs=["platelets"],
        approval_required=True,
        approval_days=90,
        source="test criteria",
        effective_from=date(2000, 1, 1),
    )
    order = make_order(make_user("Prescriber"))
    assert order.status == TherapyOrder.Status.AWAITING_APPROVAL
    client.force_login(make_user("Nurse"))
    url = reverse("orders:sheet", args=[order.pk])
    assert "Awaiting approval" in client.get(url).content.decode().split('id="sheet-authorisation"', 1)[1]

    until = date.today() + timedelta(days=30)
    decide_authorisation(
        by=make_user("Approver"), order=order, approved=True, reason="Meets ITP criteria", valid_until=until
    )
    section = client.get(url).content.decode().split('id="sheet-authorisation"', 1)[1].split("</section>")[0]
    assert "Approved" in section
    assert until.isoformat() in section
    assert "Meets ITP criteria" in section


def test_it_has_no_authorisation_section_when_none_was_needed(client, make_user, make_order):
    order = make_order(make_user("Prescriber"))
    client.force_login(make_user("Nurse"))
    assert (
        'id="sheet-authorisation"'
        not in client.get(reverse("orders:sheet", args=[order.pk])).content.decode()
    )

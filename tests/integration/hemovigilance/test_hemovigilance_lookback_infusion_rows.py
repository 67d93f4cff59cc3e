"""A home infusion's scanned vials show on the lookback page and in the CSV: one row for the infusion with
its sources, setting, grams given from the lot and the partly used vial, and one row for the vial dispensed
but never scanned."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ivig.infusions.models import VialScan
from ivig.orders.models import DispensedLot
from tests.factories.infusions import InfusionSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def home_infusion(make_user, make_dispensed_order):
    """Dispensed 2 x 20 g (BIG1) and 2 x 5 g (SMALL1); at home BIG1, BIG1, SMALL1 scanned; 42.5 g given."""
    order = make_dispensed_order()
    nurse = make_user("Nurse")
    lots = {d.lot.lot_number: d.lot for d in DispensedLot.objects.filter(order=order).select_related("lot")}
    started = timezone.now() - timedelta(days=2)
    session = InfusionSessionFactory(
        order=order,
        setting="home",
        volume_planned_ml=Decimal("450"),
        volume_given_ml=Decimal("425"),  # Privigen 10%: 42.5 g
        vials_wasted=1,  # the nurse counted the partly used vial as wasted
        started_by=nurse,
        started_at=started,
        ended_by=nurse,
        ended_at=started + timedelta(hours=3),
    )
    for minute, number in enumerate(["BIG1", "BIG1", "SMALL1"]):
        VialScan.objects.create(
            session=session,
            entry="scan",
            lot_number=number,
            lot=lots[number],
            accepted=True,
            scanned_by=nurse,
            scanned_at=started - timedelta(minutes=10 - minute),
        )
    return order


def test_it_shows_the_home_infusion_and_the_unscanned_vial(client, make_user, home_infusion):
    client.force_login(make_user("Quality"))

    page = client.get(reverse("hemovigilance:lookback"), {"lot": "SMALL1"}).content.decode()
    response = client.get(reverse("hemovigilance:lookback_csv"), {"lot": "SMALL1"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))

    assert "Dispensed for an order + Infusion, Home visit" in page
    assert "partly used vial: 2.5 of 5 g given, rest wasted" in page
    assert "1 vial dispensed, not scanned at an infusion" in page
    assert [(r["Source"], r["Setting"], r["Vials"], r["Grams"], r["Grams opened"]) for r in rows] == [
        ("Dispensed for an order + Infusion", "Home visit", "1", "2.5", "5"),
        ("Dispensed for an order", "", "1", "5", ""),
    ]  # by date: the infusion two days ago, the dispensing (fixture) today
    big = client.get(reverse("hemovigilance:lookback_csv"), {"lot": "BIG1"})
    big_rows = list(csv.DictReader(io.StringIO(big.content.decode())))
    assert [(r["Vials"], r["Grams"], r["Note"]) for r in big_rows] == [("2", "40", "")]

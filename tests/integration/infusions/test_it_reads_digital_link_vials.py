"""The bedside vial scan takes a GS1 Digital Link URI with the element string's checks."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ivig.infusions.models import VialScan
from tests.drivers.infusions import GTIN_5, GTIN_20, checked_in


@pytest.fixture
def session(dispensed_order, fixed_clock):
    return checked_in(dispensed_order)


def post_scan(client, session, text):
    return client.post(reverse("infusions:scan", args=[session.pk]), {"scan": text})


def test_it_accepts_a_vial_scanned_as_a_digital_link(client, dispensed_order, session):
    d = dispensed_order
    client.force_login(d.nurse)
    link = f"https://qr.example.com/01/{GTIN_20}/10/G20A/21/SN77?17={d.g20.expiry_date:%y%m%d}\n"

    response = post_scan(client, session, link)

    assert response.status_code == 302
    scan = VialScan.objects.get(session=session)
    assert (scan.accepted, scan.lot, scan.gtin, scan.serial) == (True, d.g20, GTIN_20, "SN77")


def test_it_stops_an_expired_a_misread_or_a_foreign_link(client, dispensed_order, session):
    d = dispensed_order
    client.force_login(d.nurse)
    wrong_check_digit = GTIN_5[:-1] + str((int(GTIN_5[-1]) + 1) % 10)
    links = {
        "Expired: lot OLD05 expired on": f"https://id.gs1.org/01/{GTIN_5}/10/OLD05?17={d.old.expiry_date:%y%m%d}",
        "Not readable: The GTIN (01) is not valid": (
            f"https://id.gs1.org/01/{wrong_check_digit}/10/F05A?17={d.f05.expiry_date:%y%m%d}"
        ),
        "Not readable: The barcode has no (10) lot number": (
            f"https://id.gs1.org/01/{GTIN_5}?17={d.f05.expiry_date:%y%m%d}"
        ),
        "Not readable: This is not a GS1 Digital Link for a vial": "http://evil.example/?x",
    }

    for refusal, link in links.items():
        response = post_scan(client, session, link)

        assert response.status_code == 422
        assert f"STOP: do not use this vial. {refusal}" in response.content.decode()
    assert not VialScan.objects.filter(session=session, accepted=True).exists()
    assert VialScan.objects.filter(session=session, accepted=False).count() == len(links)

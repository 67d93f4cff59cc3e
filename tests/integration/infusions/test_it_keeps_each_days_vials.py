"""Each day takes the vials its plan lists and no more, so a later day of the course is not left short."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from ivig.audit.models import AuditEvent
from ivig.infusions import pump
from ivig.infusions.events import InfusionError
from ivig.infusions.models import VialScan
from tests.drivers.infusions import GTIN_5, GTIN_20, Pump, barcode, checked_in, confirmed, ready, scan


def start(d, session):
    return Pump.of(d, session).start()


def test_it_refuses_an_extra_20_g_vial_on_day_1_and_day_2_still_starts(dispensed_order, fixed_clock):
    d = dispensed_order
    day_1 = ready(d)  # 1 x 20 g (G20A) + 1 x 5 g (F05A): day 1's 25 g

    extra = scan(d, day_1, GTIN_20, d.g20)  # the second G20A vial dispensed is day 2's

    assert not extra.accepted and extra.lot is None
    assert extra.refusal.startswith("Not for today: every 20 g vial for day 1 is already scanned")
    assert "Day 1 needs 1 × 20 g + 1 × 5 g; already scanned: 1 × 20 g + 1 × 5 g." in extra.refusal
    assert VialScan.objects.filter(session=day_1, accepted=True).count() == 2
    audit = AuditEvent.objects.get(action="infusion.vial_refused", target_id=str(day_1.pk))
    assert "Not for today" in audit.summary
    start(d, day_1)

    # The fixture's OLD05 is expired on purpose (for refusal tests); here it stands for a good lot.
    d.old.expiry_date = d.g20.expiry_date
    d.old.save()
    day_2 = checked_in(d, day_number=2)
    day_2 = confirmed(d, day_2)
    assert scan(d, day_2, GTIN_20, d.g20).accepted
    assert pump.vials_missing(day_2) == ["1 × 5 g"]
    assert scan(d, day_2, GTIN_5, d.old).accepted
    assert start(d, day_2).rate_ml_per_h == Decimal("7.5")


def test_it_refuses_a_second_5_g_vial_for_a_day_that_needs_one(dispensed_order, fixed_clock):
    d = dispensed_order
    d.old.expiry_date = d.g20.expiry_date
    d.old.save()
    session = checked_in(d)
    session = confirmed(d, session)
    assert scan(d, session, GTIN_5, d.f05).accepted

    second = scan(d, session, GTIN_5, d.old)

    assert not second.accepted and "every 5 g vial for day 1" in second.refusal
    assert "already scanned: 1 × 5 g" in second.refusal
    with pytest.raises(InfusionError, match=r"still needed 1 × 20 g"):
        start(d, session)


def test_it_counts_a_part_vial_as_one_of_the_days_vials(dispensed_order, fixed_clock):
    d = dispensed_order
    session = checked_in(d)
    # A day whose dose ends part-way through its 5 g vial: the vial is still one expected vial, no more.
    session.plan_day = session.plan_day | {"waste_ml": 12.5}
    session.save(update_fields=["plan_day"])
    session = confirmed(d, session)

    assert scan(d, session, GTIN_5, d.f05).accepted
    assert scan(d, session, GTIN_20, d.g20).accepted
    assert not scan(d, session, GTIN_20, d.g20).accepted
    assert pump.vials_missing(session) == []


def test_it_shows_the_refusal_as_a_stop_on_the_flowsheet(client, dispensed_order, fixed_clock):
    d = dispensed_order
    session = ready(d)
    client.force_login(d.nurse)

    response = client.post(
        reverse("infusions:scan", args=[session.pk]),
        {"scan": barcode(GTIN_20, d.g20.expiry_date, d.g20.lot_number)},
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert "STOP: do not use this vial. Not for today" in page
    assert "Every vial for today is scanned." in page

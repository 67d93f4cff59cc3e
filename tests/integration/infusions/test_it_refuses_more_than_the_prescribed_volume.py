"""Ending after more than the prescribed volume went in (a part vial run dry, a late end) needs a reason."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ivig.infusions.events import InfusionError
from tests.drivers.infusions import Pump, running


def test_it_refuses_to_end_over_the_prescribed_volume_without_a_reason(dispensed_order, fixed_clock):
    d = dispensed_order
    pump = Pump.of(d, running(d))
    planned = float(pump.session.volume_planned_ml)
    # At 7.5 mL/h, run long enough for the volume given to pass the plan by far more than the slack.
    fixed_clock.advance(minutes=int((planned + 20) / 7.5 * 60))
    with pytest.raises(InfusionError, match=r"more than the .* mL prescribed"):
        pump.end()
    pump.session.refresh_from_db()
    assert pump.session.status == "running"
    session = pump.end("pump end time entered late: pump log checked")
    assert session.volume_given_ml > Decimal(str(planned))
    assert session.end_reason.startswith("pump end time")


def test_it_tells_the_nurse_where_to_stop_a_part_vial(client, dispensed_order, fixed_clock):
    from django.urls import reverse

    session = running(dispensed_order)
    session.plan_day = {**session.plan_day, "waste_ml": 38.0}
    session.save(update_fields=["plan_day"])
    client.force_login(dispensed_order.nurse)
    html = client.get(reverse("infusions:flowsheet", args=[session.pk])).content.decode()
    assert f"Part vial: stop at {session.volume_planned_ml} mL, discard 38.0 mL" in html

"""`manage.py supply_export` writes the site's data in the supply core's export format, which the forecast
command reads back."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.management import call_command

from ivig.clinical.supply import days_of_stock, forecast_demand, parse_export
from ivig.supply.inputs import supply_data

pytestmark = pytest.mark.django_db


def test_it_exports_what_the_forecast_reads(tmp_path, make_user, make_lot, make_order, make_dispensed_order):
    pharmacist, prescriber = make_user("Pharmacist"), make_user("Prescriber")
    make_lot(pharmacist, lot_number="Q1", vials=4)
    igg = {"igg": {"value": "4.1", "taken_on": date.today().isoformat()}}
    make_order(prescriber, regimen="pi", dose_g_per_kg="0.4", days=1, repeat_interval_weeks=4, labs=igg)
    make_dispensed_order()
    target = tmp_path / "export.json"
    call_command("supply_export", "--output", str(target))
    raw = json.loads(target.read_text())
    assert raw["format"] == "ivig-supply-export"
    data = parse_export(raw)
    assert data.recurring and data.usage and data.stock
    assert data == supply_data(data.as_of, site=data.site)
    outlook = days_of_stock(forecast_demand(data), data)
    assert outlook.overall.supply.on_hand_g > 0
    assert "Mia" not in target.read_text()  # patients by internal id only

"""The site data export: a round trip, and clear errors naming the place of bad input."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from ivig.clinical.supply import SupplyExportError, parse_export, to_export
from ivig.clinical.supply.generate import generate_history


@pytest.fixture(scope="module")
def export() -> dict[str, Any]:
    return json.loads(json.dumps(to_export(generate_history(patients=30, products=2, seed=1))))


def test_it_reads_back_what_it_writes(export: dict[str, Any]) -> None:
    data = generate_history(patients=30, products=2, seed=1)
    assert parse_export(export) == data


def test_it_reads_a_minimal_export() -> None:
    data = parse_export(
        {"format": "ivig-supply-export", "version": 1, "as_of": "2026-03-01", "products": [{"slug": "a"}]}
    )
    assert data.products[0].name == "a" and data.recurring == ()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda e: e.update(format="other"), "export.format"),
        (lambda e: e.update(version=2), "export.version"),
        (lambda e: e.update(as_of="1 March"), "export.as_of: expected a date"),
        (lambda e: e.pop("products"), "products: missing"),
        (
            lambda e: e["recurring_orders"][0].update(dose_g=-1),
            r"recurring_orders\[0\].dose_g: must be above 0",
        ),
        (
            lambda e: e["recurring_orders"][0].update(dose_g="30"),
            r"recurring_orders\[0\].dose_g: expected a number",
        ),
        (lambda e: e["recurring_orders"][0].pop("next_due"), r"recurring_orders\[0\].next_due: missing"),
        (lambda e: e["recurring_orders"][0].update(interval_days=0), r"interval_days: must be at least 1"),
        (lambda e: e["stock"][0].update(quarantined="no"), r"stock\[0\].quarantined: expected true or false"),
        (lambda e: e["stock"][0].update(product="zzz"), r"stock\[0\].product: 'zzz' is not in products"),
        (lambda e: e["courses"][0]["doses"][0].update(grams=0), r"courses\[0\].doses\[0\].grams"),
        (lambda e: e["usage"].append(3), r"usage\[\d+\]: expected an object"),
        (lambda e: e["products"][0].update(vial_sizes_g=[0]), r"products\[0\].vial_sizes_g"),
        (lambda e: e["recurring_orders"][0].update(days_per_cycle=40), r"recurring_orders\[0\]: order"),
    ],
)
def test_it_names_the_place_of_bad_input(export: dict[str, Any], change: Any, message: str) -> None:
    bad = copy.deepcopy(export)
    change(bad)
    with pytest.raises(SupplyExportError, match=message):
        parse_export(bad)


def test_it_refuses_what_is_not_an_object() -> None:
    with pytest.raises(SupplyExportError, match="expected an object"):
        parse_export([1, 2])

"""Every resource every source serves from the demo data validates with both R4 libraries."""

from __future__ import annotations

from collections import Counter

from ivig.demo.load import load_demo
from ivig.fhir import registry
from tests.fhir_validation import validate_r4

from .served import served


def test_it_serves_valid_r4_for_all_of_the_demo_data(db):
    load_demo()
    counts: Counter[str] = Counter()
    for resource_type in registry.resource_types():
        for resource in served(resource_type):
            validate_r4(resource)
            counts[resource_type] += 1
    assert counts["Observation"] >= 40  # the demo patients' weights and heights, and their lab results

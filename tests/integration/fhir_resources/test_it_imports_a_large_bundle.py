"""Performance sanity: a 1,000-entry bundle (200 patients, 800 results) is checked and written in one go."""

from __future__ import annotations

import time

import pytest

from ivig.fhir.importing import import_bundle
from ivig.patients.models import LabResult, Patient

from .bundles import bundle, lab, patient, ref

pytestmark = pytest.mark.django_db


def test_it_imports_a_thousand_entries(make_user, django_assert_max_num_queries):
    nurse = make_user("Nurse")
    entries = []
    for n in range(200):
        person = patient(f"BULK{n:04d}")
        entries.append(person)
        entries.extend(lab(ref(person), value=500 + n, taken=f"2026-01-{day:02d}") for day in (5, 12, 19, 26))
    assert len(entries) == 1000

    started = time.perf_counter()
    result = import_bundle(bundle=bundle(*entries), by=nurse)
    seconds = time.perf_counter() - started

    assert result.ok, result.resource["issue"][:3]
    assert Patient.objects.count() == 200 and LabResult.objects.count() == 800
    print(f"\n1,000-entry bundle imported in {seconds:.1f} s ({1000 / seconds:.0f} entries/s)")
    assert seconds < 120  # a sanity bound on a shared test machine, not a benchmark

    # A refused bundle of the same size is checked without writing, in a bounded number of queries.
    entries[-1]["resource"]["valueQuantity"]["unit"] = "mmol/L"
    with django_assert_max_num_queries(10):
        refused = import_bundle(bundle=bundle(*entries[5:]), by=nurse)
    assert refused.status_code == 422

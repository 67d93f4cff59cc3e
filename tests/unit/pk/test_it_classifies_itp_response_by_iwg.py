"""IWG classes per count (Rodeghiero 2009): thresholds 30 and 100 x10^9/L, doubling, bleeding."""

from __future__ import annotations

from datetime import date

import pytest

from ivig.clinical.outcomes.itp import ItpResponse, PlateletCount, classify_count

DAY = date(2025, 1, 1)


@pytest.mark.parametrize(
    ("platelets", "baseline", "bleeding", "expected"),
    [
        (100.0, 10.0, False, ItpResponse.COMPLETE),
        (99.9, 10.0, False, ItpResponse.RESPONSE),
        (100.0, 60.0, False, ItpResponse.COMPLETE),  # CR needs no doubling
        (30.0, 15.0, False, ItpResponse.RESPONSE),  # exactly 30 and exactly double
        (29.9, 10.0, False, ItpResponse.NO_RESPONSE),  # under 30
        (59.9, 30.0, False, ItpResponse.NO_RESPONSE),  # less than double
        (60.0, 30.0, False, ItpResponse.RESPONSE),
        (150.0, 10.0, True, ItpResponse.NO_RESPONSE),  # bleeding
        (45.0, 20.0, True, ItpResponse.NO_RESPONSE),
    ],
)
def test_it_classifies_one_count(
    platelets: float, baseline: float, bleeding: bool, expected: ItpResponse
) -> None:
    assert classify_count(PlateletCount(DAY, platelets, bleeding), baseline) is expected

"""Shared builders for the PK tests: a regimen from a fixed date, and a site ka for SC doses."""

from __future__ import annotations

from datetime import datetime, timedelta

from ivig.clinical.catalog.model import Fact, FactStatus, Route
from ivig.clinical.pk.doses import Dose, ScAbsorption, regimen_doses

START = datetime(2025, 1, 6, 9, 0)
# SC predictions need the site's ka (the reference gives none); this is a test input, not a clinical figure.
TEST_KA_PER_DAY = 0.5
WITH_KA = ScAbsorption(ka_per_day=Fact(TEST_KA_PER_DAY, "test input", FactStatus.SITE))


def regimen(
    dose_g: float,
    interval_days: float,
    *,
    days: float,
    route: Route = Route.IV,
    duration_h: float = 3.0,
    product: str | None = None,
) -> list[Dose]:
    return regimen_doses(
        first=START,
        dose_g=dose_g,
        interval_days=interval_days,
        route=route,
        duration_h=duration_h,
        until=START + timedelta(days=days),
        product=product,
    )

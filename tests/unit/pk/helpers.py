"""Shared builders for the PK tests: a typical patient and a regimen from a fixed date."""

from __future__ import annotations

from datetime import datetime, timedelta

from ivig.clinical.catalog.model import Route
from ivig.clinical.pk.doses import Dose, regimen_doses

START = datetime(2025, 1, 6, 9, 0)


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

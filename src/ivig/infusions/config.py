"""The site's flowsheet settings, turned into the clinical core's types."""

from __future__ import annotations

from ivig.clinical.catalog import default_catalog
from ivig.clinical.infusion.titration import RateBasis
from ivig.clinical.infusion.vitals import Measure, VitalRange
from ivig.infusions.models import InfusionSession, VitalSignRange


def vital_ranges() -> list[VitalRange]:
    return [
        VitalRange(
            measure=Measure(row.measure),
            low=None if row.low is None else float(row.low),
            high=None if row.high is None else float(row.high),
            min_age_years=float(row.min_age_years),
            max_age_years=None if row.max_age_years is None else float(row.max_age_years),
            source=row.source,
        )
        for row in VitalSignRange.objects.all()
    ]


def concentration_g_per_100ml(product_slug: str) -> float | None:
    product = next((p for p in default_catalog().all() if p.slug == product_slug), None)
    if product is None or not product.concentration_g_per_100ml.known:
        return None
    return product.concentration_g_per_100ml.value


def rate_basis(session: InfusionSession) -> RateBasis:
    data = session.rate_basis
    return RateBasis(
        rate_weight_kg=float(data["rate_weight_kg"]),
        concentration_g_per_100ml=float(data["concentration_g_per_100ml"]),
        ceiling_mg_per_kg_per_min=float(data["ceiling_mg_per_kg_per_min"]),
        label_max_mg_per_kg_per_min=float(data["label_max_mg_per_kg_per_min"]),
    )

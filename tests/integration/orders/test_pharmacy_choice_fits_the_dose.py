"""When the pharmacy chooses, a product whose smallest vial exceeds a small patient's dose ranks lower."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from ivig.clinical import default_catalog
from ivig.orders.planning import OrderInput, compute_plan, ranked_slugs

pytestmark = pytest.mark.django_db


def test_it_picks_a_product_with_a_vial_that_fits_a_3_kg_infant(make_user, make_patient):
    prescriber = make_user("Prescriber")
    infant = make_patient(prescriber, date_of_birth=date.today() - timedelta(days=60))
    data = OrderInput(
        patient=infant,
        regimen="pi",
        route="iv",
        product_slug="",
        weight_kg=Decimal("3"),
        height_cm=None,
        dose_g_per_kg=Decimal("0.4"),
    )
    slugs = ranked_slugs(data, date.today())
    smallest = {p.slug: min(v.grams for v in p.vial_sizes) for p in default_catalog().all() if p.vial_sizes}
    assert smallest[slugs[0]] <= 1.2, slugs[:3]
    # Asceniv (labelled from 12 years, 5 g vials only) was ranked first before issue 16.
    assert slugs.index("asceniv") > slugs.index(slugs[0])
    outcome = compute_plan(data, date.today())
    assert outcome.chosen_by_ranking and outcome.plan is not None
    assert outcome.plan.days[0].waste_g < 1.0  # not 3.8 g of a 5 g vial

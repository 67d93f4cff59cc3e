"""Issue 17 item 8: the stock page shows products with stock as cards and names the empty ones, with a count,
under one closed disclosure (on a phone twelve empty cards pushed the lots that matter screens down)."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from ivig.inventory.actions import register_product


def test_it_collapses_products_with_no_stock_behind_a_disclosure(client, make_user, make_lot):
    pharmacist = make_user("Pharmacist")
    make_lot(pharmacist, lot_number="FRESH", vials=3)
    register_product(by=pharmacist, catalog_slug="gamunex-c", vial_size_g=Decimal("10"))
    register_product(by=pharmacist, catalog_slug="hizentra", vial_size_g=Decimal("4"))
    client.force_login(pharmacist)

    page = client.get(reverse("inventory:stock")).content.decode()

    assert page.count('<section class="card" aria-labelledby="h-product-') == 1
    assert "FRESH" in page
    disclosure = page[page.index('data-testid="empty-products"') :]
    assert "2 products with no stock" in disclosure
    assert "Gamunex-C 10 g" in disclosure and "Hizentra 4 g" in disclosure
    assert "<details" in page and "<details open" not in page
    assert "No lots in stock" not in page

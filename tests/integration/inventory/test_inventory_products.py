"""Stocked products come from the clinical catalog: a real product in one of its real vial sizes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ivig.audit.models import AuditEvent
from ivig.inventory.actions import register_product
from ivig.inventory.models import StockProduct

GTIN = "00860001234565"


def test_it_registers_a_catalog_product_in_a_label_vial_size(make_user):
    pharmacist = make_user("Pharmacist")

    product = register_product(by=pharmacist, catalog_slug="privigen", vial_size_g=Decimal("20"), gtin=GTIN)

    assert str(product) == "Privigen 20 g"
    assert AuditEvent.objects.get(action="stock.product_register").target_id == str(product.pk)


def test_it_refuses_a_product_missing_from_the_catalog(make_user):
    with pytest.raises(ValidationError, match="not in the product catalog"):
        register_product(by=make_user("Pharmacist"), catalog_slug="snake-oil", vial_size_g=Decimal("10"))

    assert not StockProduct.objects.exists()


def test_it_refuses_a_vial_size_the_label_does_not_give(make_user):
    # Privigen comes in 5, 10, 20 and 40 g vials (docs/reference/products.md s2).
    with pytest.raises(ValidationError, match=r"comes in 5, 10, 20, 40 g vials, not 2.5 g"):
        register_product(by=make_user("Pharmacist"), catalog_slug="privigen", vial_size_g=Decimal("2.5"))


def test_it_keeps_a_gtin_unique_when_set(make_user):
    pharmacist = make_user("Pharmacist")
    register_product(by=pharmacist, catalog_slug="privigen", vial_size_g=Decimal("10"))
    register_product(by=pharmacist, catalog_slug="privigen", vial_size_g=Decimal("20"))  # two without GTIN
    register_product(by=pharmacist, catalog_slug="privigen", vial_size_g=Decimal("5"), gtin=GTIN)

    with pytest.raises(IntegrityError), transaction.atomic():
        StockProduct.objects.create(catalog_slug="privigen", vial_size_g=Decimal("40"), gtin=GTIN)

"""Stock as stored: products, lots and ledger rows, for tests that read stock rather than move it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from ivig.inventory.models import Location, Lot, StockMovement, StockProduct


class StockProductFactory(DjangoModelFactory[StockProduct]):
    """Privigen 10 g unless told; the same product and size is fetched, not made twice."""

    class Meta:
        model = StockProduct
        django_get_or_create = ("catalog_slug", "vial_size_g")

    catalog_slug = "privigen"
    vial_size_g = Decimal("10")


class LotFactory(DjangoModelFactory[Lot]):
    class Meta:
        model = Lot

    product = factory.SubFactory(StockProductFactory)
    lot_number = factory.Sequence(lambda n: f"L{n:04d}")
    expiry_date = date(2099, 1, 1)


class LocationFactory(DjangoModelFactory[Location]):
    class Meta:
        model = Location

    name = factory.Sequence(lambda n: f"Store {n + 1}")
    kind = "fridge"


class StockMovementFactory(DjangoModelFactory[StockMovement]):
    """A ledger row at the default location: pass `lot`, `kind`, `quantity_vials` (signed), `recorded_by`."""

    class Meta:
        model = StockMovement

    location = factory.LazyFunction(Location.default)

"""Small builders for supply tests: one product, no vial sizes unless given, so grams stay exact."""

from __future__ import annotations

from datetime import date, timedelta

from ivig.clinical.supply import ProductInfo, SupplyData

DAY0 = date(2026, 3, 2)
PRODUCT = "prod-a"


def day(n: int) -> date:
    return DAY0 + timedelta(days=n)


def data(**kwargs: object) -> SupplyData:
    products = kwargs.pop("products", (ProductInfo(PRODUCT, "Product A"),))
    return SupplyData(as_of=DAY0, products=products, **kwargs)  # type: ignore[arg-type]

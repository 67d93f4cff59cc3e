"""Product catalog: packaged label data, a site's additions, and name lookup."""

from __future__ import annotations

from ivig.clinical.catalog.load import (
    Catalog,
    UnknownProductError,
    UnknownProtocolError,
    default_catalog,
    name_key,
)
from ivig.clinical.catalog.model import NOT_IN_LABEL_DATA, Fact, FactStatus, Product, Route
from ivig.clinical.catalog.schema import CatalogSchemaError

__all__ = [
    "NOT_IN_LABEL_DATA",
    "Catalog",
    "CatalogSchemaError",
    "Fact",
    "FactStatus",
    "Product",
    "Route",
    "UnknownProductError",
    "UnknownProtocolError",
    "default_catalog",
    "name_key",
]

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
from ivig.clinical.catalog.site_file import SiteLimitError, apply_site_config, apply_site_file, load_catalog

__all__ = [
    "NOT_IN_LABEL_DATA",
    "Catalog",
    "CatalogSchemaError",
    "Fact",
    "FactStatus",
    "Product",
    "Route",
    "SiteLimitError",
    "UnknownProductError",
    "UnknownProtocolError",
    "apply_site_config",
    "apply_site_file",
    "default_catalog",
    "load_catalog",
    "name_key",
]

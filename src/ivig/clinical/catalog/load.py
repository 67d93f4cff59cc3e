"""Load the packaged product catalog and look products up by name."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path

from ivig.clinical.catalog import schema
from ivig.clinical.catalog.model import DEFAULT_PROTOCOL, Product, Route, TitrationProtocol
from ivig.clinical.catalog.schema import CatalogSchemaError

PACKAGED_FILE = "products.json"
_SEPARATORS = re.compile(r"[^a-z0-9]+")


class UnknownProductError(LookupError):
    """No product matches `name`; `suggestions` holds the closest catalog names, best first."""

    def __init__(self, name: str, suggestions: tuple[str, ...]) -> None:
        self.name = name
        self.suggestions = suggestions
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"Unknown product {name!r}.{hint}")


class UnknownProtocolError(LookupError):
    def __init__(self, name: str, known: tuple[str, ...]) -> None:
        self.name = name
        self.known = known
        super().__init__(f"Unknown titration protocol {name!r}. Known: {', '.join(known)}")


def name_key(name: str) -> str:
    """Return the lookup key: lower case, separators and "%" folded ("Octagam 10%" gives "octagam-10")."""
    return _SEPARATORS.sub("-", name.lower()).strip("-")


def _squashed(key: str) -> str:
    return key.replace("-", "")


class Catalog:
    """The products a site may use, and its titration protocols. Immutable once built."""

    def __init__(
        self,
        products: Iterable[Product],
        protocols: Iterable[TitrationProtocol] = (DEFAULT_PROTOCOL,),
        origin: str = PACKAGED_FILE,
    ) -> None:
        self.origin = origin
        self._products: dict[str, Product] = {}
        self._keys: dict[str, str] = {}
        for product in products:
            self._add(product)
        self._protocols: dict[str, TitrationProtocol] = {}
        for protocol in protocols:
            key = name_key(protocol.name)
            if key in self._protocols:
                raise CatalogSchemaError("protocols", f"protocol {protocol.name!r} is defined twice", origin)
            self._protocols[key] = protocol

    def _add(self, product: Product) -> None:
        if product.slug in self._products:
            raise CatalogSchemaError("products", f"product {product.slug!r} is defined twice", self.origin)
        self._products[product.slug] = product
        for name in (product.slug, product.name, *product.aliases):
            key = name_key(name)
            for variant in (key, _squashed(key)):
                owner = self._keys.setdefault(variant, product.slug)
                if owner != product.slug:
                    raise CatalogSchemaError(
                        "products", f"name {name!r} of {product.slug!r} clashes with {owner!r}", self.origin
                    )

    def get(self, name: str) -> Product:
        """Return the product called `name` (case, spaces, hyphens and "%" ignored; aliases allowed)."""
        product = self._products.get(name)  # a slug, as every caller inside the system passes
        if product is not None:
            return product
        key = name_key(name)
        slug = self._keys.get(key) or self._keys.get(_squashed(key))
        if slug is None:
            raise UnknownProductError(name, self.suggest(name))
        return self._products[slug]

    def suggest(self, name: str, limit: int = 3) -> tuple[str, ...]:
        """Return the names of the products closest to `name`, best first."""
        key = name_key(name)
        candidates = {k: slug for k, slug in self._keys.items() if "-" in k or k == _squashed(k)}
        close = difflib.get_close_matches(key, list(candidates), n=limit * 3, cutoff=0.5)
        if not close:  # a prefix ("gamma") is a useful hint even when difflib finds it too short
            close = [k for k in candidates if key and k.startswith(key)]
        names: list[str] = []
        for match in close:
            product_name = self._products[candidates[match]].name
            if product_name not in names:
                names.append(product_name)
        return tuple(names[:limit])

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and (
            name_key(name) in self._keys or _squashed(name_key(name)) in self._keys
        )

    def __len__(self) -> int:
        return len(self._products)

    def all(self) -> tuple[Product, ...]:
        """Return every product, in catalog order."""
        return tuple(self._products.values())

    def by_route(self, route: Route) -> tuple[Product, ...]:
        return tuple(p for p in self._products.values() if route in p.routes)

    @property
    def protocols(self) -> Mapping[str, TitrationProtocol]:
        return dict(self._protocols)

    def protocol(self, name: str) -> TitrationProtocol:
        try:
            return self._protocols[name_key(name)]
        except KeyError:
            known = tuple(p.name for p in self._protocols.values())
            raise UnknownProtocolError(name, known) from None


def parse_catalog(document: object, origin: str) -> Catalog:
    """Check a catalog document against the schema and build the Catalog."""
    try:
        data = schema.obj(document, "$", ("schema_version", "products"), ("source",))
        if data["schema_version"] != schema.SCHEMA_VERSION:
            raise CatalogSchemaError("$.schema_version", f"expected {schema.SCHEMA_VERSION}")
        products = [
            schema.product(node, f"$.products[{i}]")
            for i, node in enumerate(schema.items(data["products"], "$.products"))
        ]
    except CatalogSchemaError as error:
        raise CatalogSchemaError(error.path, error.reason, origin) from None
    return Catalog(products, origin=origin)


def read_json(path: Path) -> object:
    """Read a JSON file, turning syntax errors into a schema error with line and column."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise CatalogSchemaError(f"line {error.lineno} column {error.colno}", error.msg, str(path)) from None
    except OSError as error:
        raise CatalogSchemaError("$", f"cannot read file: {error.strerror}", str(path)) from None


@cache
def default_catalog() -> Catalog:
    """Return the packaged catalog (built once per process)."""
    packaged = resources.files("ivig.clinical").joinpath("data", PACKAGED_FILE)
    return parse_catalog(json.loads(packaged.read_text(encoding="utf-8")), PACKAGED_FILE)

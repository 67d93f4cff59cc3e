"""Apply a site's own configuration file to the catalog.

A site file (JSON) may add local products and titration protocols, fill facts the labels do not give (status
SITE, with the site's stated source) and tighten limits. It may never loosen a label limit: a rate above the
label's maximum (or initial rate), or a shorter initial step or interval, is rejected with the label value.

    {
      "schema_version": 1,
      "source": "Example Hospital IVIG policy v3, 2025",
      "products": [ ...same schema as the packaged products... ],
      "protocols": [{"name": "double every 20 min", "interval_min": 20, "rule": "double", "source": "..."}],
      "risk_cap_mg_per_kg_per_min": 2.0,
      "overrides": [
        {"product": "gammaked", "indication": "pi", "set": {"max_rate_mg_per_kg_per_min": 8}},
        {"product": "cutaquig", "set": {"iv_to_sc_factor": 1.4}},
        {"product": "privigen", "indication": "pi", "set": {"min_age_years": 2}}
      ]
    }
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TypeVar

from ivig.clinical.catalog import schema
from ivig.clinical.catalog.load import Catalog, default_catalog, read_json
from ivig.clinical.catalog.model import (
    DEFAULT_PROTOCOL,
    Fact,
    FactStatus,
    Indication,
    IvRateLimits,
    Product,
)
from ivig.clinical.catalog.schema import CatalogSchemaError

# IV fields where a lower value is tighter (rates), and where a higher one is (slower titration).
IV_UPPER_FIELDS = (
    "initial_rate_mg_per_kg_per_min",
    "max_rate_mg_per_kg_per_min",
    "risk_max_rate_mg_per_kg_per_min",
)
IV_LOWER_FIELDS = ("initial_duration_min", "titration_interval_min")
SC_UPPER_FIELDS = ("max_sites", "max_sites_children", "max_total_rate_ml_per_h")
SC_CHOICE_FIELDS = ("iv_to_sc_factor",)
PRODUCT_TEXT_FIELDS = (
    "stabilisers",
    "sodium",
    "osmolality_mosm_per_kg",
    "iga_text",
    "storage",
    "indication_notes",
)
PRODUCT_NUMBER_FIELDS = ("concentration_g_per_100ml", "iga_ug_per_ml")
# The labelled minimum age per indication: a site may fill a missing one or raise it, never lower it.
AGE_FIELDS = ("min_age_years",)

V = TypeVar("V")


class SiteLimitError(CatalogSchemaError):
    """A site file tries to exceed (or loosen) a label limit."""

    def __init__(
        self,
        path: str,
        product: str,
        indication: Indication | None,
        field: str,
        value: float,
        label: Fact[float],
        origin: str,
    ) -> None:
        self.product = product
        self.indication = indication
        self.field = field
        self.value = value
        self.label_limit = label.value
        where = f"{product} / {indication.value}" if indication else product
        reason = (
            f"{where}: {field} {value:g} is outside the label limit {label.value:g} ({label.source}); "
            "a site may tighten label limits, never exceed them"
        )
        super().__init__(path, reason, origin)


def load_catalog(site_file: Path | str | None = None) -> Catalog:
    """Return the packaged catalog, with the site file applied when one is given."""
    base = default_catalog()
    return base if site_file is None else apply_site_file(base, Path(site_file))


def apply_site_file(base: Catalog, path: Path) -> Catalog:
    """Read a site file and return a new Catalog with its changes applied."""
    return apply_site_config(base, read_json(path), str(path))


def apply_site_config(base: Catalog, document: object, origin: str = "site file") -> Catalog:
    """Check a site document against the schema and apply it to `base`."""
    try:
        return _apply(base, document, origin)
    except SiteLimitError:
        raise
    except CatalogSchemaError as error:
        raise CatalogSchemaError(error.path, error.reason, origin) from None


def _apply(base: Catalog, document: object, origin: str) -> Catalog:
    data = schema.obj(
        document,
        "$",
        ("schema_version", "source"),
        ("products", "protocols", "overrides", "risk_cap_mg_per_kg_per_min"),
    )
    if data["schema_version"] != schema.SCHEMA_VERSION:
        raise CatalogSchemaError("$.schema_version", f"expected {schema.SCHEMA_VERSION}")
    site_source = schema.text(data["source"], "$.source")
    products = {p.slug: p for p in base.all()}
    for i, node in enumerate(schema.items(data.get("products", []), "$.products")):
        local = schema.product(node, f"$.products[{i}]")
        if local.slug in products:
            raise CatalogSchemaError(f"$.products[{i}].slug", f"{local.slug!r} is already in the catalog")
        products[local.slug] = local
    protocols = [*base.protocols.values()] or [DEFAULT_PROTOCOL]
    protocols += [
        schema.protocol(node, f"$.protocols[{i}]")
        for i, node in enumerate(schema.items(data.get("protocols", []), "$.protocols"))
    ]
    staged = Catalog(products.values(), protocols, origin)
    for i, node in enumerate(schema.items(data.get("overrides", []), "$.overrides")):
        product = _override(staged, node, f"$.overrides[{i}]", site_source, origin)
        products[product.slug] = product
        staged = Catalog(products.values(), protocols, origin)
    cap_node = data.get("risk_cap_mg_per_kg_per_min")
    if cap_node is not None:
        cap = schema.number(cap_node, "$.risk_cap_mg_per_kg_per_min")
        products = {slug: _with_risk_cap(p, cap, site_source) for slug, p in products.items()}
    return Catalog(products.values(), protocols, origin)


def _override(catalog: Catalog, node: object, path: str, site_source: str, origin: str) -> Product:
    data = schema.obj(node, path, ("product", "set"), ("indication", "source"))
    name = schema.text(data["product"], f"{path}.product")
    if name not in catalog:
        suggestions = ", ".join(catalog.suggest(name))
        raise CatalogSchemaError(f"{path}.product", f"unknown product {name!r} (closest: {suggestions})")
    product = catalog.get(name)
    source = schema.text(data.get("source", site_source), f"{path}.source")
    values = schema.obj(
        data["set"],
        f"{path}.set",
        optional=IV_UPPER_FIELDS
        + IV_LOWER_FIELDS
        + SC_UPPER_FIELDS
        + SC_CHOICE_FIELDS
        + PRODUCT_TEXT_FIELDS
        + PRODUCT_NUMBER_FIELDS
        + AGE_FIELDS,
    )
    indication = (
        None
        if data.get("indication") is None
        else schema.choice(Indication, data["indication"], f"{path}.indication")
    )
    changes: dict[str, object] = {}
    for key, raw in values.items():
        at = f"{path}.set.{key}"
        if key in PRODUCT_TEXT_FIELDS:
            changes[key] = _fill(getattr(product, key), schema.text(raw, at), source, at)
        elif key in PRODUCT_NUMBER_FIELDS:
            changes[key] = _fill(getattr(product, key), schema.number(raw, at), source, at)
    product = dataclasses.replace(product, **changes)  # type: ignore[arg-type]
    sc_values = {k: v for k, v in values.items() if k in SC_UPPER_FIELDS + SC_CHOICE_FIELDS}
    if sc_values:
        product = _override_sc(product, sc_values, path, source, origin)
    iv_values = {k: v for k, v in values.items() if k in IV_UPPER_FIELDS + IV_LOWER_FIELDS}
    if iv_values:
        product = _override_iv(product, indication, iv_values, path, source, origin)
    if "min_age_years" in values:
        age = schema.number(values["min_age_years"], f"{path}.set.min_age_years", positive=False)
        product = _override_age(product, indication, age, path, source, origin)
    return product


def _override_age(
    product: Product, indication: Indication | None, age: float, path: str, source: str, origin: str
) -> Product:
    """Set the labelled minimum age for one indication (or every labelled one): only ever raise it."""
    if age < 0:
        raise CatalogSchemaError(f"{path}.set.min_age_years", f"must be >= 0, got {age:g}")
    rows = [r for r in product.label_ages if indication is None or r.indication is indication]
    if not rows:
        what = f"indication {indication.value!r}" if indication else "any indication"
        raise CatalogSchemaError(f"{path}.indication", f"{product.slug} is not labelled for {what}")
    replaced = {}
    for row in rows:
        label = _label_value(row.min_age_years)
        if label is not None and age < label:
            raise SiteLimitError(
                f"{path}.set.min_age_years",
                product.slug,
                row.indication,
                "min_age_years",
                age,
                row.min_age_years,
                origin,
            )
        replaced[row.indication] = dataclasses.replace(
            row, min_age_years=_site_fact(age, source, row.min_age_years)
        )
    return dataclasses.replace(
        product, label_ages=tuple(replaced.get(r.indication, r) for r in product.label_ages)
    )


def _override_iv(
    product: Product,
    indication: Indication | None,
    values: dict[str, object],
    path: str,
    source: str,
    origin: str,
) -> Product:
    rows = [r for r in product.iv_rates if indication is None or r.indication is indication]
    if not rows:
        what = f"indication {indication.value!r}" if indication else "any indication"
        raise CatalogSchemaError(f"{path}.indication", f"{product.slug} has no IV rates for {what}")
    replaced = {r.indication: _tighten_row(product.slug, r, values, path, source, origin) for r in rows}
    return dataclasses.replace(
        product, iv_rates=tuple(replaced.get(r.indication, r) for r in product.iv_rates)
    )


def _tighten_row(
    slug: str, row: IvRateLimits, values: dict[str, object], path: str, source: str, origin: str
) -> IvRateLimits:
    maximum = row.max_rate_mg_per_kg_per_min
    for key, raw in values.items():
        at = f"{path}.set.{key}"
        value = schema.number(raw, at)
        current: Fact[float] = (
            row.titration.interval_min if key == "titration_interval_min" else getattr(row, key)
        )
        label = _label_value(current)
        if label is not None and ((value > label) if key in IV_UPPER_FIELDS else (value < label)):
            raise SiteLimitError(at, slug, row.indication, key, value, current, origin)
        # Every rate is bounded by the label maximum too (no initial rate or risk cap above it).
        label_max = _label_value(maximum)
        if key in IV_UPPER_FIELDS and label_max is not None and value > label_max:
            raise SiteLimitError(at, slug, row.indication, key, value, maximum, origin)
        new = _site_fact(value, source, current)
        if key == "titration_interval_min":
            row = dataclasses.replace(row, titration=dataclasses.replace(row.titration, interval_min=new))
        else:
            row = dataclasses.replace(row, **{key: new})  # type: ignore[arg-type]
    schema.check_rate_order(
        f"{path}.set",
        row.initial_rate_mg_per_kg_per_min,
        row.max_rate_mg_per_kg_per_min,
        row.risk_max_rate_mg_per_kg_per_min,
        row.titration,
    )
    return row


def _override_sc(product: Product, values: dict[str, object], path: str, source: str, origin: str) -> Product:
    if product.sc is None:
        raise CatalogSchemaError(f"{path}.set", f"{product.slug} is not given subcutaneously")
    changes: dict[str, object] = {}
    for key, raw in values.items():
        at = f"{path}.set.{key}"
        current: Fact[float] = getattr(product.sc, key)
        if key in SC_CHOICE_FIELDS:
            changes[key] = _fill(current, schema.number(raw, at), source, at)
            continue
        value = float(schema.integer(raw, at)) if key.startswith("max_sites") else schema.number(raw, at)
        if current.known and current.value is not None and value > current.value:
            raise SiteLimitError(at, product.slug, None, key, value, current, origin)
        changes[key] = _site_fact(int(value) if key.startswith("max_sites") else value, source, current)
    return dataclasses.replace(product, sc=dataclasses.replace(product.sc, **changes))  # type: ignore[arg-type]


def _fill(current: Fact[V], value: V, source: str, path: str) -> Fact[V]:
    """Fill a missing fact, or choose one of the values of a conflicting one; never replace a label value."""
    if current.status is FactStatus.CONFLICTING:
        allowed = [current.value, *(v for v, _ in current.alternatives)]
        if value not in allowed:
            raise CatalogSchemaError(path, f"choose one of the sourced values {allowed}, got {value!r}")
        return _site_fact(value, source, current)
    if current.known and current.status is not FactStatus.SITE:
        raise CatalogSchemaError(
            path, f"the label gives {current.value!r} ({current.source}); it cannot be replaced"
        )
    return _site_fact(value, source, current)


def _label_value(fact: Fact[float]) -> float | None:
    """Return the value a label (not a site) gives, which a site may never loosen."""
    return fact.value if fact.known and fact.status is not FactStatus.SITE else None


def _site_fact(value: V, source: str, previous: Fact[V]) -> Fact[V]:
    note = f"label: {previous.display()} ({previous.source})"
    return Fact(value=value, source=source, status=FactStatus.SITE, note=note)


def _with_risk_cap(product: Product, cap: float, source: str) -> Product:
    """Apply the site's risk cap to every IV row: fill a missing cap, or lower a higher label cap."""
    rows = []
    for row in product.iv_rates:
        current = row.risk_max_rate_mg_per_kg_per_min
        bound = min(cap, row.max_rate_mg_per_kg_per_min.value or cap)
        if current.known and current.value is not None and current.value <= bound:
            rows.append(row)
            continue
        rows.append(
            dataclasses.replace(row, risk_max_rate_mg_per_kg_per_min=_site_fact(bound, source, current))
        )
    return dataclasses.replace(product, iv_rates=tuple(rows))

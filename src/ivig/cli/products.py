"""`ivig products`: list the catalog, or show one product with the source of every value."""

from __future__ import annotations

import dataclasses
import enum
import json
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from ivig.cli.app import app
from ivig.clinical.catalog import (
    NOT_IN_LABEL_DATA,
    Catalog,
    CatalogSchemaError,
    Fact,
    Product,
    UnknownProductError,
    load_catalog,
)
from ivig.clinical.catalog.model import IvRateLimits, ScLimits

products_app = typer.Typer(help="The product catalog: label data with sources.", no_args_is_help=False)
app.add_typer(products_app, name="products")

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
SiteFile = Annotated[
    Path | None, typer.Option("--site-file", help="Site configuration (JSON) applied to the catalog.")
]
USAGE_ERROR = 2
INDICATION_LABELS = {"kawasaki": "Kawasaki"}  # the others are abbreviations, shown upper-case


def _indications(product: Product) -> str:
    labels = [INDICATION_LABELS.get(i.value, i.value.upper()) for i in product.indications]
    return ", ".join(labels) or NOT_IN_LABEL_DATA


def _label_ages(product: Product) -> str:
    """One "PI >= 2 y" per labelled indication; "?" where the label data name no age."""
    parts = []
    for row in product.label_ages:
        label = INDICATION_LABELS.get(row.indication.value, row.indication.value.upper())
        age = row.min_age_years
        parts.append(f"{label} >= {age.value:g} y" if age.known and age.value is not None else f"{label} ?")
    return ", ".join(parts) or NOT_IN_LABEL_DATA


@products_app.callback(invoke_without_command=True)
def list_products(ctx: typer.Context, as_json: JsonFlag = False, site_file: SiteFile = None) -> None:
    """List every product: maker, routes, concentration, IgA, vial sizes, indications, label ages."""
    if ctx.invoked_subcommand is not None:
        return
    catalog = _catalog(site_file)
    if as_json:
        typer.echo(json.dumps([to_json(p) for p in catalog.all()], indent=2))
        return
    table = Table(title=f"IVIG/SCIG products ({len(catalog)})")
    columns = ("Product", "Maker", "Routes", "Conc.", "IgA", "Vial sizes (g)", "Indications", "Label ages")
    for column in columns:
        table.add_column(column)
    for product in catalog.all():
        name = product.name + (" (discontinued)" if product.discontinued else "")
        table.add_row(
            name,
            product.maker,
            ", ".join(route.value.upper() for route in product.routes),
            product.concentration_g_per_100ml.display("%").replace(" %", "%"),
            product.iga_text.display(),
            _vials(product),
            _indications(product),
            _label_ages(product),
        )
    Console().print(table)


@products_app.command("show")
def show_product(
    name: Annotated[str, typer.Argument(help="Product name, e.g. 'Gammagard Liquid' or gammagard-liquid.")],
    as_json: JsonFlag = False,
    site_file: SiteFile = None,
) -> None:
    """Show one product: every value with its source; unknown values say "not in label data"."""
    catalog = _catalog(site_file)
    try:
        product = catalog.get(name)
    except UnknownProductError as error:
        _fail(str(error))
    if as_json:
        typer.echo(json.dumps(to_json(product), indent=2))
        return
    console = Console()
    console.print(_facts_table(product))
    for limits in product.iv_rates:
        console.print(_iv_table(product, limits))
    if product.sc is not None:
        console.print(_sc_table(product, product.sc))


def to_json(value: object) -> object:
    """Convert catalog records to JSON-ready data; each Fact also gets its display text."""
    if isinstance(value, Fact):
        return {
            "value": to_json(value.value),
            "display": value.display(),
            "source": value.source,
            "status": value.status.value,
            "alternatives": [[to_json(v), s] for v, s in value.alternatives],
            "note": value.note,
        }
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [to_json(item) for item in value]
    return value


def _catalog(site_file: Path | None) -> Catalog:
    try:
        return load_catalog(site_file)
    except CatalogSchemaError as error:
        _fail(f"Invalid catalog data: {error}")


def _fail(message: str) -> NoReturn:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code=USAGE_ERROR)


def _vials(product: Product) -> str:
    if not product.vial_sizes:
        return NOT_IN_LABEL_DATA
    return ", ".join(f"{v.grams:g}" for v in product.vial_sizes)


def _source_table(title: str) -> Table:
    table = Table(title=title, show_lines=False)
    table.add_column("Field")
    table.add_column("Value")
    table.add_column("Source")
    return table


def _add_fact(table: Table, label: str, fact: Fact[float] | Fact[str] | Fact[int], unit: str = "") -> None:
    value = fact.display(unit)
    if fact.note:
        value += f" [{fact.note}]"
    table.add_row(label, value, f"{fact.source} ({fact.status.value})")


def _facts_table(product: Product) -> Table:
    table = _source_table(f"{product.name} ({product.slug})")
    table.add_row("Maker", product.maker, "")
    table.add_row("Routes", ", ".join(r.value.upper() for r in product.routes), "")
    if product.discontinued:
        table.add_row("Status", "discontinued", "")
    if product.aliases:
        table.add_row("Also called", ", ".join(product.aliases), "")
    _add_fact(table, "Concentration", product.concentration_g_per_100ml, "g/100 mL")
    _add_fact(table, "Stabilisers", product.stabilisers)
    sugars = [
        sugar
        for sugar, present in (
            ("sucrose", product.contains_sucrose),
            ("maltose", product.contains_maltose),
            ("sorbitol", product.contains_sorbitol),
            ("proline", product.contains_proline),
            ("glucose", product.contains_glucose),
        )
        if present
    ]
    sugar_text = ", ".join(sugars) or ("none" if product.excipients_known else NOT_IN_LABEL_DATA)
    table.add_row("Sugars / proline", sugar_text, product.stabilisers.source)
    _add_fact(table, "Sodium", product.sodium)
    _add_fact(table, "Osmolality", product.osmolality_mosm_per_kg, "mOsm/kg")
    _add_fact(table, "IgA", product.iga_text)
    vial_source = product.vial_sizes[0].source if product.vial_sizes else "docs/reference/products.md s2"
    vials = ", ".join(f"{v.grams:g} g / {v.volume_ml:g} mL" for v in product.vial_sizes) or NOT_IN_LABEL_DATA
    table.add_row("Vial sizes", vials, vial_source)
    _add_fact(table, "Storage", product.storage)
    table.add_row("Indications", _indications(product), product.indication_notes.source)
    _add_fact(table, "Indication notes", product.indication_notes)
    for row in product.label_ages:
        label = INDICATION_LABELS.get(row.indication.value, row.indication.value.upper())
        _add_fact(table, f"Label age, {label}", row.min_age_years, "years and over")
    return table


def _iv_table(product: Product, limits: IvRateLimits) -> Table:
    table = _source_table(f"{product.name}: IV rates, {limits.indication.value.upper()}")
    titration = limits.titration
    _add_fact(table, "Initial rate", limits.initial_rate_mg_per_kg_per_min, "mg/kg/min")
    _add_fact(table, "Initial duration", limits.initial_duration_min, "min")
    steps = titration.kind.value
    if titration.increment_mg_per_kg_per_min is not None:
        steps += f": +{titration.increment_mg_per_kg_per_min:g} mg/kg/min per step"
    if titration.sequence_mg_per_kg_per_min:
        steps += ": " + " -> ".join(f"{r:g}" for r in titration.sequence_mg_per_kg_per_min) + " mg/kg/min"
    table.add_row("Titration", steps, titration.source)
    _add_fact(table, "Titration interval", titration.interval_min, "min")
    _add_fact(table, "Maximum rate", limits.max_rate_mg_per_kg_per_min, "mg/kg/min")
    _add_fact(table, "Risk-capped maximum", limits.risk_max_rate_mg_per_kg_per_min, "mg/kg/min")
    return table


def _sc_table(product: Product, sc: ScLimits) -> Table:
    table = _source_table(f"{product.name}: subcutaneous" + (" (facilitated)" if sc.facilitated else ""))
    _add_fact(table, "IV to SC factor", sc.iv_to_sc_factor)
    _add_fact(table, "Max sites", sc.max_sites)
    _add_fact(table, "Max sites (children)", sc.max_sites_children)
    _add_fact(table, "Max total rate", sc.max_total_rate_ml_per_h, "mL/h")
    for row in sc.site_limits:
        band = _band(row.min_weight_kg, row.max_weight_kg, "kg") + _band(
            row.min_age_years, row.max_age_years, "y"
        )
        if row.indication is not None:
            band += f" {row.indication.value.upper()}"
        label = (
            f"{row.phase} (infusions <= {row.initial_infusion_count})"
            if row.phase == "initial"
            else row.phase
        )
        label += band
        _add_fact(table, f"{label}: mL/site", row.max_volume_ml_per_site, "mL")
        _add_fact(table, f"{label}: mL/h/site", row.max_rate_ml_per_h_per_site, "mL/h")
    for daily in sc.daily_volume_limits:
        band = _band(daily.min_weight_kg, daily.max_weight_kg, "kg")
        _add_fact(table, f"Max volume per day{band}", daily.max_volume_ml, "mL")
    return table


def _band(low: float | None, high: float | None, unit: str) -> str:
    if low is None and high is None:
        return ""
    if high is None:
        return f", >= {low:g} {unit}"
    if low is None:
        return f", < {high:g} {unit}"
    return f", {low:g} to < {high:g} {unit}"

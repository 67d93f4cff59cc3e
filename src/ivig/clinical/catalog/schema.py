"""Check catalog JSON against its schema and build the frozen records.

Hand-written on purpose: it is several times faster to import and run than a pydantic model, and `ivig plan`
must answer in under 0.5 s. Every error names the field path and the reason.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from typing import TypeVar

from ivig.clinical.catalog.model import (
    Fact,
    FactStatus,
    Indication,
    IvRateLimits,
    LabelAge,
    Product,
    Route,
    ScDailyVolumeLimit,
    ScLimits,
    ScSiteLimits,
    StepRule,
    Titration,
    TitrationKind,
    TitrationProtocol,
    VialSize,
)

T = TypeVar("T")
E = TypeVar("E", Route, Indication, TitrationKind, StepRule, FactStatus)

SCHEMA_VERSION = 1
# Stated volume may differ from grams / concentration by rounding only.
_VIAL_VOLUME_TOLERANCE = 0.01


class CatalogSchemaError(ValueError):
    """A catalog or site file does not match the schema. `path` is the JSON field path."""

    def __init__(self, path: str, reason: str, origin: str = "") -> None:
        self.path = path
        self.reason = reason
        self.origin = origin
        where = f"{origin}: " if origin else ""
        super().__init__(f"{where}{path}: {reason}")


Obj = dict[str, object]


def obj(node: object, path: str, required: Iterable[str] = (), optional: Iterable[str] = ()) -> Obj:
    """Return `node` as a JSON object with exactly the allowed keys."""
    if not isinstance(node, dict):
        raise CatalogSchemaError(path, f"expected an object, got {_kind(node)}")
    required = tuple(required)
    allowed = set(required) | set(optional)
    for key in required:
        if key not in node:
            raise CatalogSchemaError(f"{path}.{key}", "required field is missing")
    unknown = sorted(set(node) - allowed)
    if unknown:
        raise CatalogSchemaError(
            f"{path}.{unknown[0]}", f"unknown field (allowed: {', '.join(sorted(allowed))})"
        )
    return node


def text(node: object, path: str, *, empty_ok: bool = False) -> str:
    if not isinstance(node, str):
        raise CatalogSchemaError(path, f"expected a string, got {_kind(node)}")
    if not empty_ok and not node.strip():
        raise CatalogSchemaError(path, "must not be empty")
    return node


def number(node: object, path: str, *, positive: bool = True) -> float:
    if isinstance(node, bool) or not isinstance(node, int | float):
        raise CatalogSchemaError(path, f"expected a number, got {_kind(node)}")
    if positive and node <= 0:
        raise CatalogSchemaError(path, f"must be > 0, got {node}")
    return float(node)


def integer(node: object, path: str) -> int:
    if isinstance(node, bool) or not isinstance(node, int) or node < 0:
        raise CatalogSchemaError(path, f"expected a whole number >= 0, got {node!r}")
    return node


def flag(node: object, path: str) -> bool:
    if not isinstance(node, bool):
        raise CatalogSchemaError(path, f"expected true or false, got {_kind(node)}")
    return node


def optional_number(node: object, path: str) -> float | None:
    return None if node is None else number(node, path)


def items(node: object, path: str) -> list[object]:
    if not isinstance(node, list):
        raise CatalogSchemaError(path, f"expected a list, got {_kind(node)}")
    return node


def choice(enum: type[E], node: object, path: str) -> E:
    value = text(node, path)
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise CatalogSchemaError(path, f"{value!r} is not one of: {allowed}") from None


def fact(node: object, path: str, convert: Callable[[object, str], T]) -> Fact[T]:
    """Build a Fact: a known value needs a source; a missing one has value null and status "missing"."""
    data = obj(node, path, ("value", "source"), ("status", "alternatives", "note"))
    source = text(data["source"], f"{path}.source")
    status = choice(FactStatus, data.get("status", "label"), f"{path}.status")
    raw = data["value"]
    if status is FactStatus.MISSING:
        if raw is not None:
            raise CatalogSchemaError(f"{path}.value", "must be null when status is 'missing'")
        value: T | None = None
    elif raw is None:
        raise CatalogSchemaError(
            f"{path}.value", "null needs status 'missing' (never leave a value implicit)"
        )
    else:
        value = convert(raw, f"{path}.value")
    alternatives = tuple(
        _alternative(alt, f"{path}.alternatives[{i}]", convert)
        for i, alt in enumerate(items(data.get("alternatives", []), f"{path}.alternatives"))
    )
    if status is FactStatus.CONFLICTING and not alternatives:
        raise CatalogSchemaError(f"{path}.alternatives", "a conflicting fact must list the other sources")
    note = text(data.get("note", ""), f"{path}.note", empty_ok=True)
    return Fact(value=value, source=source, status=status, alternatives=alternatives, note=note)


def _alternative(node: object, path: str, convert: Callable[[object, str], T]) -> tuple[T, str]:
    pair = items(node, path)
    if len(pair) != 2:
        raise CatalogSchemaError(path, "expected [value, source]")
    return convert(pair[0], f"{path}[0]"), text(pair[1], f"{path}[1]")


def number_fact(node: object, path: str) -> Fact[float]:
    return fact(node, path, number)


def text_fact(node: object, path: str) -> Fact[str]:
    return fact(node, path, text)


def integer_fact(node: object, path: str) -> Fact[int]:
    return fact(node, path, integer)


def _indications(node: object, path: str) -> tuple[Indication, ...]:
    if node == "any":  # a label row that names no indication (Carimune NF) covers every one
        return tuple(Indication)
    return tuple(choice(Indication, item, f"{path}[{i}]") for i, item in enumerate(items(node, path)))


def titration(node: object, path: str) -> Titration:
    data = obj(
        node,
        path,
        ("kind", "interval_min", "source"),
        ("increment_mg_per_kg_per_min", "sequence_mg_per_kg_per_min"),
    )
    kind = choice(TitrationKind, data["kind"], f"{path}.kind")
    increment = optional_number(
        data.get("increment_mg_per_kg_per_min"), f"{path}.increment_mg_per_kg_per_min"
    )
    seq_path = f"{path}.sequence_mg_per_kg_per_min"
    raw_sequence = items(data.get("sequence_mg_per_kg_per_min", []), seq_path)
    sequence = tuple(number(v, f"{seq_path}[{i}]") for i, v in enumerate(raw_sequence))
    if kind is TitrationKind.INCREMENT and increment is None:
        raise CatalogSchemaError(f"{path}.increment_mg_per_kg_per_min", "required when kind is 'increment'")
    if kind is TitrationKind.SEQUENCE and not sequence:
        raise CatalogSchemaError(seq_path, "required (non-empty) when kind is 'sequence'")
    if any(b <= a for a, b in itertools.pairwise(sequence)):
        raise CatalogSchemaError(seq_path, "rates must increase step by step")
    return Titration(
        kind=kind,
        interval_min=number_fact(data["interval_min"], f"{path}.interval_min"),
        increment_mg_per_kg_per_min=increment,
        sequence_mg_per_kg_per_min=sequence,
        source=text(data["source"], f"{path}.source"),
    )


def iv_rate_rows(node: object, path: str) -> list[IvRateLimits]:
    """Build one IvRateLimits per indication of a label row ("PI / ITP" rows name two)."""
    data = obj(
        node,
        path,
        (
            "indications",
            "initial_rate_mg_per_kg_per_min",
            "initial_duration_min",
            "titration",
            "max_rate_mg_per_kg_per_min",
            "risk_max_rate_mg_per_kg_per_min",
            "source",
        ),
    )
    initial = number_fact(data["initial_rate_mg_per_kg_per_min"], f"{path}.initial_rate_mg_per_kg_per_min")
    maximum = number_fact(data["max_rate_mg_per_kg_per_min"], f"{path}.max_rate_mg_per_kg_per_min")
    risk = number_fact(data["risk_max_rate_mg_per_kg_per_min"], f"{path}.risk_max_rate_mg_per_kg_per_min")
    steps = titration(data["titration"], f"{path}.titration")
    check_rate_order(path, initial, maximum, risk, steps)
    return [
        IvRateLimits(
            indication=indication,
            initial_rate_mg_per_kg_per_min=initial,
            initial_duration_min=number_fact(data["initial_duration_min"], f"{path}.initial_duration_min"),
            titration=steps,
            max_rate_mg_per_kg_per_min=maximum,
            risk_max_rate_mg_per_kg_per_min=risk,
            source=text(data["source"], f"{path}.source"),
        )
        for indication in _indications(data["indications"], f"{path}.indications")
    ]


def check_rate_order(
    path: str, initial: Fact[float], maximum: Fact[float], risk: Fact[float], steps: Titration
) -> None:
    """Reject rows whose initial rate, risk cap or titration steps lie above the maximum."""
    if maximum.value is None:
        return
    for name, limit in (
        ("initial_rate_mg_per_kg_per_min", initial),
        ("risk_max_rate_mg_per_kg_per_min", risk),
    ):
        if limit.value is not None and limit.value > maximum.value:
            raise CatalogSchemaError(f"{path}.{name}", f"{limit.value} is above the maximum {maximum.value}")
    if any(rate > maximum.value for rate in steps.sequence_mg_per_kg_per_min):
        raise CatalogSchemaError(
            f"{path}.titration.sequence_mg_per_kg_per_min", "a step is above the maximum"
        )


def site_limits(node: object, path: str) -> ScSiteLimits:
    data = obj(
        node,
        path,
        ("phase", "initial_infusion_count", "max_volume_ml_per_site", "max_rate_ml_per_h_per_site", "source"),
        ("indication", "min_weight_kg", "max_weight_kg", "min_age_years", "max_age_years"),
    )
    phase = text(data["phase"], f"{path}.phase")
    if phase not in ("initial", "maintenance"):
        raise CatalogSchemaError(f"{path}.phase", f"{phase!r} is not one of: initial, maintenance")
    raw_indication = data.get("indication")
    return ScSiteLimits(
        phase=phase,
        initial_infusion_count=integer(data["initial_infusion_count"], f"{path}.initial_infusion_count"),
        min_weight_kg=optional_number(data.get("min_weight_kg"), f"{path}.min_weight_kg"),
        max_weight_kg=optional_number(data.get("max_weight_kg"), f"{path}.max_weight_kg"),
        min_age_years=optional_number(data.get("min_age_years"), f"{path}.min_age_years"),
        max_age_years=optional_number(data.get("max_age_years"), f"{path}.max_age_years"),
        max_volume_ml_per_site=number_fact(data["max_volume_ml_per_site"], f"{path}.max_volume_ml_per_site"),
        max_rate_ml_per_h_per_site=number_fact(
            data["max_rate_ml_per_h_per_site"], f"{path}.max_rate_ml_per_h_per_site"
        ),
        source=text(data["source"], f"{path}.source"),
        indication=None
        if raw_indication is None
        else choice(Indication, raw_indication, f"{path}.indication"),
    )


def sc_limits(node: object, path: str) -> ScLimits:
    data = obj(
        node,
        path,
        ("iv_to_sc_factor", "max_sites", "max_sites_children", "max_total_rate_ml_per_h", "site_limits"),
        ("daily_volume_limits", "facilitated", "source"),
    )
    daily = tuple(
        _daily_limit(item, f"{path}.daily_volume_limits[{i}]")
        for i, item in enumerate(items(data.get("daily_volume_limits", []), f"{path}.daily_volume_limits"))
    )
    return ScLimits(
        iv_to_sc_factor=number_fact(data["iv_to_sc_factor"], f"{path}.iv_to_sc_factor"),
        max_sites=integer_fact(data["max_sites"], f"{path}.max_sites"),
        max_sites_children=integer_fact(data["max_sites_children"], f"{path}.max_sites_children"),
        max_total_rate_ml_per_h=number_fact(
            data["max_total_rate_ml_per_h"], f"{path}.max_total_rate_ml_per_h"
        ),
        site_limits=tuple(
            site_limits(item, f"{path}.site_limits[{i}]")
            for i, item in enumerate(items(data["site_limits"], f"{path}.site_limits"))
        ),
        facilitated=flag(data.get("facilitated", False), f"{path}.facilitated"),
        source=text(data.get("source", "docs/reference/dosing.md s4"), f"{path}.source"),
        daily_volume_limits=daily,
    )


def _daily_limit(node: object, path: str) -> ScDailyVolumeLimit:
    data = obj(node, path, ("max_volume_ml", "source"), ("min_weight_kg", "max_weight_kg"))
    return ScDailyVolumeLimit(
        min_weight_kg=optional_number(data.get("min_weight_kg"), f"{path}.min_weight_kg"),
        max_weight_kg=optional_number(data.get("max_weight_kg"), f"{path}.max_weight_kg"),
        max_volume_ml=number_fact(data["max_volume_ml"], f"{path}.max_volume_ml"),
        source=text(data["source"], f"{path}.source"),
    )


def _vial(node: object, path: str, concentration: Fact[float]) -> VialSize:
    data = obj(node, path, ("grams", "volume_ml", "source"))
    grams = number(data["grams"], f"{path}.grams")
    volume_ml = number(data["volume_ml"], f"{path}.volume_ml")
    if concentration.value is not None:
        expected_ml = grams / concentration.value * 100
        if abs(volume_ml - expected_ml) > _VIAL_VOLUME_TOLERANCE * expected_ml:
            raise CatalogSchemaError(
                f"{path}.volume_ml",
                f"{volume_ml} mL does not match {grams} g at {concentration.value}% ({expected_ml:.2f} mL)",
            )
    return VialSize(grams=grams, volume_ml=volume_ml, source=text(data["source"], f"{path}.source"))


PRODUCT_FIELDS = (
    "slug",
    "name",
    "maker",
    "routes",
    "concentration_g_per_100ml",
    "stabilisers",
    "contains_sucrose",
    "contains_maltose",
    "contains_sorbitol",
    "contains_proline",
    "contains_glucose",
    "sodium",
    "osmolality_mosm_per_kg",
    "iga_ug_per_ml",
    "iga_text",
    "vial_sizes",
    "storage",
    "indications",
    "indication_notes",
    "iv_rates",
    "sc",
)


def product(node: object, path: str) -> Product:
    """Build one Product and check that its routes and rate tables agree."""
    data = obj(node, path, PRODUCT_FIELDS, ("aliases", "discontinued", "label_ages"))
    slug = text(data["slug"], f"{path}.slug")
    if slug != slug.lower() or " " in slug:
        raise CatalogSchemaError(f"{path}.slug", f"{slug!r} must be lower-case kebab-case")
    routes = tuple(
        choice(Route, r, f"{path}.routes[{i}]") for i, r in enumerate(items(data["routes"], f"{path}.routes"))
    )
    if not routes:
        raise CatalogSchemaError(f"{path}.routes", "at least one route is required")
    concentration = number_fact(data["concentration_g_per_100ml"], f"{path}.concentration_g_per_100ml")
    iv_rates = tuple(
        limits
        for i, row in enumerate(items(data["iv_rates"], f"{path}.iv_rates"))
        for limits in iv_rate_rows(row, f"{path}.iv_rates[{i}]")
    )
    seen = [limits.indication for limits in iv_rates]
    if len(seen) != len(set(seen)):
        raise CatalogSchemaError(f"{path}.iv_rates", "an indication appears in more than one row")
    if iv_rates and Route.IV not in routes:
        raise CatalogSchemaError(f"{path}.iv_rates", "IV rates given for a product without route 'iv'")
    sc = None if data["sc"] is None else sc_limits(data["sc"], f"{path}.sc")
    indications = _indications(data["indications"], f"{path}.indications")
    ages = label_ages(data.get("label_ages", []), f"{path}.label_ages", indications)
    if (sc is None) == (Route.SC in routes):
        raise CatalogSchemaError(f"{path}.sc", "SC limits are required exactly when the routes include 'sc'")
    return Product(
        slug=slug,
        name=text(data["name"], f"{path}.name"),
        maker=text(data["maker"], f"{path}.maker"),
        routes=routes,
        concentration_g_per_100ml=concentration,
        stabilisers=text_fact(data["stabilisers"], f"{path}.stabilisers"),
        contains_sucrose=flag(data["contains_sucrose"], f"{path}.contains_sucrose"),
        contains_maltose=flag(data["contains_maltose"], f"{path}.contains_maltose"),
        contains_sorbitol=flag(data["contains_sorbitol"], f"{path}.contains_sorbitol"),
        contains_proline=flag(data["contains_proline"], f"{path}.contains_proline"),
        contains_glucose=flag(data["contains_glucose"], f"{path}.contains_glucose"),
        sodium=text_fact(data["sodium"], f"{path}.sodium"),
        osmolality_mosm_per_kg=text_fact(data["osmolality_mosm_per_kg"], f"{path}.osmolality_mosm_per_kg"),
        iga_ug_per_ml=fact(data["iga_ug_per_ml"], f"{path}.iga_ug_per_ml", _non_negative),
        iga_text=text_fact(data["iga_text"], f"{path}.iga_text"),
        vial_sizes=tuple(
            _vial(v, f"{path}.vial_sizes[{i}]", concentration)
            for i, v in enumerate(items(data["vial_sizes"], f"{path}.vial_sizes"))
        ),
        storage=text_fact(data["storage"], f"{path}.storage"),
        indications=indications,
        indication_notes=text_fact(data["indication_notes"], f"{path}.indication_notes"),
        iv_rates=iv_rates,
        sc=sc,
        discontinued=flag(data.get("discontinued", False), f"{path}.discontinued"),
        aliases=tuple(
            text(a, f"{path}.aliases[{i}]")
            for i, a in enumerate(items(data.get("aliases", []), f"{path}.aliases"))
        ),
        label_ages=ages,
    )


def label_ages(node: object, path: str, indications: tuple[Indication, ...]) -> tuple[LabelAge, ...]:
    """Build one LabelAge per labelled indication; an indication with no row gets a MISSING age."""
    rows: dict[Indication, LabelAge] = {}
    for i, item in enumerate(items(node, path)):
        at = f"{path}[{i}]"
        data = obj(item, at, ("indication", "min_age_years"))
        indication = choice(Indication, data["indication"], f"{at}.indication")
        if indication not in indications:
            raise CatalogSchemaError(f"{at}.indication", f"{indication.value!r} is not a labelled indication")
        if indication in rows:
            raise CatalogSchemaError(f"{at}.indication", f"{indication.value!r} has more than one label age")
        age = fact(data["min_age_years"], f"{at}.min_age_years", _non_negative)
        rows[indication] = LabelAge(indication=indication, min_age_years=age)
    return tuple(
        rows.get(indication)
        or LabelAge(
            indication=indication,
            min_age_years=Fact(None, "no label age in the catalog data", FactStatus.MISSING),
        )
        for indication in indications
    )


def protocol(node: object, path: str) -> TitrationProtocol:
    data = obj(node, path, ("name", "interval_min", "rule", "source"), ("increment_mg_per_kg_per_min",))
    rule = choice(StepRule, data["rule"], f"{path}.rule")
    increment = optional_number(
        data.get("increment_mg_per_kg_per_min"), f"{path}.increment_mg_per_kg_per_min"
    )
    if rule is StepRule.INCREMENT and increment is None:
        raise CatalogSchemaError(f"{path}.increment_mg_per_kg_per_min", "required when rule is 'increment'")
    return TitrationProtocol(
        name=text(data["name"], f"{path}.name"),
        interval_min=number(data["interval_min"], f"{path}.interval_min"),
        rule=rule,
        increment_mg_per_kg_per_min=increment,
        source=text(data["source"], f"{path}.source"),
    )


def _non_negative(node: object, path: str) -> float:
    value = number(node, path, positive=False)
    if value < 0:
        raise CatalogSchemaError(path, f"must be >= 0, got {value}")
    return value


def _kind(node: object) -> str:
    return "null" if node is None else type(node).__name__

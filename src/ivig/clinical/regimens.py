"""Dosing regimens per indication (packaged in data/regimens.json, sources per option).

A regimen has one or more dose options; an option may belong to named products only. A dose
and a number of days are within the regimen when one option that applies to the product allows both.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from ivig.clinical.catalog.load import name_key
from ivig.clinical.catalog.model import Indication


class DosePer(StrEnum):
    DAY = "day"  # the label gives a daily dose for `days` days (ITP 1 g/kg daily x 2)
    COURSE = "course"  # the label gives the whole course, divided over `days` days (CIDP 2 g/kg over 2-5 d)


class RegimenError(ValueError):
    """An unknown regimen or a regimen without the dose the caller needs."""


@dataclass(frozen=True, slots=True)
class DoseOption:
    products: tuple[str, ...]  # product slugs; empty = any product
    replaces_general: bool  # for its products, this option replaces the general ones
    usual_g_per_kg: float | None  # None: the label gives only a range, the prescriber chooses
    min_g_per_kg: float
    max_g_per_kg: float
    usual_days: int  # the shortest labelled course unless the label names one
    min_days: int
    max_days: int
    source: str

    def allows(self, dose_g_per_kg: float, days: int) -> bool:
        # A tolerance of 1e-9 g/kg keeps 0.4 from failing a 0.4 bound after float parsing.
        return (
            self.min_g_per_kg - 1e-9 <= dose_g_per_kg <= self.max_g_per_kg + 1e-9
            and self.min_days <= days <= self.max_days
        )

    def describe(self) -> str:
        dose = (
            f"{self.min_g_per_kg:g} g/kg"
            if self.min_g_per_kg == self.max_g_per_kg
            else f"{self.min_g_per_kg:g}-{self.max_g_per_kg:g} g/kg"
        )
        days = f"{self.min_days}" if self.min_days == self.max_days else f"{self.min_days}-{self.max_days}"
        return f"{dose} over {days} day(s)"


@dataclass(frozen=True, slots=True)
class ScWeeklyRange:
    """The SC dose range per kg per week: given by a label, or derived from the IV range and interval."""

    min_g_per_kg: float | None  # None: derived from the IV options (`from_iv_every_weeks`)
    max_g_per_kg: float | None
    from_iv_every_weeks: tuple[float, float] | None
    source: str

    def bounds(self, iv_options: tuple[DoseOption, ...], factor: float | None) -> tuple[float, float] | None:
        """Return (min, max) g/kg a week, or None when the product's IV-to-SC factor is not known."""
        if self.min_g_per_kg is not None and self.max_g_per_kg is not None:
            return self.min_g_per_kg, self.max_g_per_kg
        if self.from_iv_every_weeks is None or factor is None:
            return None
        shortest, longest = self.from_iv_every_weeks
        low = min(o.min_g_per_kg for o in iv_options) * factor / longest
        high = max(o.max_g_per_kg for o in iv_options) * factor / shortest
        return low, high


@dataclass(frozen=True, slots=True)
class Regimen:
    id: str
    indication: Indication
    name: str
    dose_per: DosePer
    repeat_interval: str
    options: tuple[DoseOption, ...]
    # The shortest time one day's infusion may take (Kawasaki: not under 8 h), with its source.
    min_infusion_h: float | None = None
    min_infusion_source: str = ""
    sc_weekly: ScWeeklyRange | None = None

    def options_for(self, product_slug: str) -> tuple[DoseOption, ...]:
        """Return the options that apply to a product, product-specific ones first."""
        own = tuple(o for o in self.options if product_slug in o.products)
        if any(o.replaces_general for o in own):
            return own
        return own + tuple(o for o in self.options if not o.products)

    def default_option(self, product_slug: str) -> DoseOption:
        """Return the general option (the usual regimen), or the product's own when it replaces it."""
        options = self.options_for(product_slug)
        general = [o for o in options if not o.products]
        return general[0] if general else options[0]

    def allows(self, product_slug: str, dose_g_per_kg: float, days: int) -> bool:
        return any(o.allows(dose_g_per_kg, days) for o in self.options_for(product_slug))

    def total_g_per_kg(self, dose_g_per_kg: float, days: int) -> float:
        return dose_g_per_kg * days if self.dose_per is DosePer.DAY else dose_g_per_kg

    def day_g_per_kg(self, product_slug: str, dose_g_per_kg: float | None, days: int | None) -> float | None:
        """One day's g/kg for a dose and days as an order gives them (blank: the usual); None if unknown."""
        option = self.default_option(product_slug)
        dose = option.usual_g_per_kg if dose_g_per_kg is None else dose_g_per_kg
        if dose is None:
            return None
        days = days or option.usual_days
        return dose if self.dose_per is DosePer.DAY else dose / days


def _parse_option(raw: dict[str, Any]) -> DoseOption:
    option = DoseOption(
        products=tuple(raw["products"]),
        replaces_general=bool(raw.get("replaces_general", False)),
        usual_g_per_kg=None if raw["usual_g_per_kg"] is None else float(raw["usual_g_per_kg"]),
        min_g_per_kg=float(raw["min_g_per_kg"]),
        max_g_per_kg=float(raw["max_g_per_kg"]),
        usual_days=int(raw["usual_days"]),
        min_days=int(raw["min_days"]),
        max_days=int(raw["max_days"]),
        source=str(raw["source"]),
    )
    usual_ok = option.usual_g_per_kg is None or option.allows(option.usual_g_per_kg, option.usual_days)
    if not (0 < option.min_g_per_kg <= option.max_g_per_kg and 1 <= option.min_days <= option.max_days):
        raise RegimenError(f"bad ranges in regimen option {raw}")
    if not (usual_ok and option.min_days <= option.usual_days <= option.max_days and option.source):
        raise RegimenError(f"usual dose outside its range, or no source, in {raw}")
    return option


def _parse_sc_weekly(raw: dict[str, Any] | None) -> ScWeeklyRange | None:
    if raw is None:
        return None
    weeks = raw.get("from_iv_every_weeks")
    low, high = raw.get("min_g_per_kg"), raw.get("max_g_per_kg")
    sc = ScWeeklyRange(
        min_g_per_kg=None if low is None else float(low),
        max_g_per_kg=None if high is None else float(high),
        from_iv_every_weeks=None if weeks is None else (float(weeks[0]), float(weeks[1])),
        source=str(raw["source"]),
    )
    if (low is None) == (weeks is None) or not sc.source:
        raise RegimenError(f"sc_weekly needs either a range or the IV interval, and a source: {raw}")
    return sc


@cache
def all_regimens() -> dict[str, Regimen]:
    """Load and check the packaged regimens once."""
    text = resources.files("ivig.clinical.data").joinpath("regimens.json").read_text(encoding="utf-8")
    regimens: dict[str, Regimen] = {}
    for raw in json.loads(text)["regimens"]:
        regimen = Regimen(
            id=raw["id"],
            indication=Indication(raw["indication"]),
            name=raw["name"],
            dose_per=DosePer(raw["dose_per"]),
            repeat_interval=raw["repeat_interval"],
            options=tuple(_parse_option(o) for o in raw["options"]),
            min_infusion_h=raw.get("min_infusion_h"),
            min_infusion_source=raw.get("min_infusion_source", ""),
            sc_weekly=_parse_sc_weekly(raw.get("sc_weekly")),
        )
        if regimen.min_infusion_h is not None and not regimen.min_infusion_source:
            raise RegimenError(f"regimen {regimen.id}: a minimum infusion time needs its source")
        if not any(not o.products for o in regimen.options):
            raise RegimenError(f"regimen {regimen.id} has no general option")
        regimens[regimen.id] = regimen
    return regimens


# Names people type for a regimen, beyond its id.
_ALIASES = {
    "measles": "measles-exposure",
    "cll": "sid",
    "secondary-immunodeficiency": "sid",
    "primary-immunodeficiency": "pi",
    "dermatomyositis": "dm",
    "guillain-barre": "gbs",
}


def get_regimen(name: str) -> Regimen:
    """Return a regimen by id or alias, matching case-insensitively with spaces or hyphens."""
    regimens = all_regimens()
    if name in regimens:  # an id, as every caller inside the system passes
        return regimens[name]
    key = name_key(name)
    key = _ALIASES.get(key, key)
    if key in regimens:
        return regimens[key]
    close = [rid for rid in regimens if rid.startswith(key) or key in rid]
    hint = f"; did you mean {', '.join(close)}?" if close else f"; known: {', '.join(regimens)}"
    raise RegimenError(f"unknown indication or regimen {name!r}{hint}")

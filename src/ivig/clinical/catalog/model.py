"""Typed records of the product catalog.

Every value a label gives is a `Fact`: the value, where it was read, and whether it is known.
A missing value is never guessed: it stays `None` with status MISSING and is shown as
"not in label data" until a site fills it in its own configuration.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, TypeVar

T = TypeVar("T")

NOT_IN_LABEL_DATA = "not in label data"


class FactStatus(StrEnum):
    LABEL = "label"  # read from a label, guideline or paper named in `source`
    MISSING = "missing"  # no reliable source: unknown, never guessed
    CONFLICTING = (
        "conflicting"  # sources disagree: `value` is the default (US label), `alternatives` the rest
    )
    SITE = "site"  # set by the site's own configuration


@dataclass(frozen=True, slots=True)
class Fact(Generic[T]):
    value: T | None
    source: str
    status: FactStatus = FactStatus.LABEL
    alternatives: tuple[tuple[T, str], ...] = ()  # (value, source) pairs that disagree with `value`
    note: str = ""

    @property
    def known(self) -> bool:
        return self.value is not None and self.status is not FactStatus.MISSING

    def display(self, unit: str = "") -> str:
        if not self.known:
            return NOT_IN_LABEL_DATA
        text = f"{_format(self.value)} {unit}".strip()
        if self.status is FactStatus.CONFLICTING:
            others = "; ".join(f"{_format(v)} ({s})" for v, s in self.alternatives)
            text += f" (sources disagree: {others})"
        return text


def _format(value: object) -> str:
    """Show 8.0 as "8" and 3.33 as "3.33": label numbers read as the label prints them."""
    return f"{value:g}" if isinstance(value, float) else str(value)


class Route(StrEnum):
    IV = "iv"
    SC = "sc"


class Indication(StrEnum):
    """Indications a label or guideline names. Regimens (loading, maintenance...) hang off these."""

    PI = "pi"  # primary humoral immunodeficiency
    SID = "sid"  # secondary immunodeficiency, including B-cell CLL
    ITP = "itp"
    KAWASAKI = "kawasaki"
    CIDP = "cidp"
    GBS = "gbs"
    MMN = "mmn"
    DM = "dm"  # dermatomyositis


class TitrationKind(StrEnum):
    INCREMENT = "increment"  # add `increment` every `interval_min` (Bivigam: +0.8 mg/kg/min every 20 min)
    SEQUENCE = "sequence"  # explicit rates, one per interval (Octagam 10% ITP: 1 -> 2 -> 4 -> 8 -> 12)
    PROTOCOL = (
        "protocol"  # label says "as tolerated"/"gradually": the site's titration protocol decides steps
    )


@dataclass(frozen=True, slots=True)
class Titration:
    kind: TitrationKind
    interval_min: Fact[float]  # minutes between increases; MISSING -> site protocol interval
    increment_mg_per_kg_per_min: float | None = None  # for INCREMENT
    sequence_mg_per_kg_per_min: tuple[float, ...] = ()  # for SEQUENCE, after the initial rate
    source: str = ""


@dataclass(frozen=True, slots=True)
class IvRateLimits:
    """Labelled IV rates for one product and indication. Rates in mg/kg/min (label hard limits)."""

    indication: Indication
    initial_rate_mg_per_kg_per_min: Fact[float]
    initial_duration_min: Fact[float]
    titration: Titration
    max_rate_mg_per_kg_per_min: Fact[float]
    # Cap for patients at risk of thrombosis or renal dysfunction, where the label gives one.
    risk_max_rate_mg_per_kg_per_min: Fact[float]
    source: str


@dataclass(frozen=True, slots=True)
class ScSiteLimits:
    """Per-site SCIG limits for one phase (first infusions, or later) and patient band."""

    phase: str  # "initial" (first infusions) or "maintenance"
    initial_infusion_count: int  # how many infusions count as "initial" (e.g. Cuvitru: 2)
    min_weight_kg: float | None  # band by weight (Gammagard: >=40 kg), None = any
    max_weight_kg: float | None
    min_age_years: float | None  # band by age (Xembify: >=10 y), None = any
    max_age_years: float | None
    max_volume_ml_per_site: Fact[float]
    max_rate_ml_per_h_per_site: Fact[float]
    source: str
    indication: Indication | None = None  # None = any indication (Hizentra CIDP has its own limits)

    def applies_to(self, weight_kg: float, age_years: float, indication: Indication | None = None) -> bool:
        """Say whether this band covers the patient: lower bounds inclusive, upper bounds exclusive."""
        if self.indication is not None and indication is not None and self.indication is not indication:
            return False
        return _in_band(weight_kg, self.min_weight_kg, self.max_weight_kg) and _in_band(
            age_years, self.min_age_years, self.max_age_years
        )


def _in_band(value: float, low: float | None, high: float | None) -> bool:
    return (low is None or value >= low) and (high is None or value < high)


@dataclass(frozen=True, slots=True)
class ScDailyVolumeLimit:
    """Most volume per day for one weight band (HyQvia: 1200 mL, 600 mL under 40 kg)."""

    min_weight_kg: float | None
    max_weight_kg: float | None
    max_volume_ml: Fact[float]
    source: str


@dataclass(frozen=True, slots=True)
class ScLimits:
    iv_to_sc_factor: Fact[float]  # weekly SC dose = factor x IV dose / weeks between IV doses
    max_sites: Fact[int]
    max_sites_children: Fact[int]
    max_total_rate_ml_per_h: Fact[float]
    site_limits: tuple[ScSiteLimits, ...]
    facilitated: bool  # HyQvia: with recombinant hyaluronidase
    source: str
    daily_volume_limits: tuple[ScDailyVolumeLimit, ...] = ()

    def site_limits_for(
        self,
        infusion_number: int,
        weight_kg: float,
        age_years: float,
        indication: Indication | None = None,
    ) -> ScSiteLimits | None:
        """Return the per-site limits for the patient's band and this infusion (1 = first infusion).

        An "initial" row covers infusions up to its `initial_infusion_count`; a "maintenance" row covers the
        rest (or every infusion when no initial row matches). Indication-specific rows win over generic ones.
        """
        rows = [row for row in self.site_limits if row.applies_to(weight_kg, age_years, indication)]
        if indication is not None and any(row.indication is indication for row in rows):
            rows = [row for row in rows if row.indication is indication]
        initial = [
            row for row in rows if row.phase == "initial" and infusion_number <= row.initial_infusion_count
        ]
        if initial:
            return initial[0]
        maintenance = [row for row in rows if row.phase == "maintenance"]
        return maintenance[0] if maintenance else None

    def daily_volume_limit_for(self, weight_kg: float) -> ScDailyVolumeLimit | None:
        for limit in self.daily_volume_limits:
            if _in_band(weight_kg, limit.min_weight_kg, limit.max_weight_kg):
                return limit
        return None


@dataclass(frozen=True, slots=True)
class VialSize:
    grams: float
    volume_ml: float
    source: str


@dataclass(frozen=True, slots=True)
class LabelAge:
    """The youngest age a label names for one indication ("PI >=2 y"; "adults" read as 18 years)."""

    indication: Indication
    min_age_years: Fact[float]  # MISSING where the label data name no age: never guessed


@dataclass(frozen=True, slots=True)
class Product:
    slug: str  # "gammagard-liquid"
    name: str  # "Gammagard Liquid"
    maker: str
    routes: tuple[Route, ...]
    concentration_g_per_100ml: Fact[float]  # 10 for a 10% product
    stabilisers: Fact[str]
    contains_sucrose: bool
    contains_maltose: bool
    contains_sorbitol: bool
    contains_proline: bool
    contains_glucose: bool
    sodium: Fact[str]
    osmolality_mosm_per_kg: Fact[str]
    iga_ug_per_ml: Fact[float]  # upper or mean value for ranking; the label text is in `iga_text`
    iga_text: Fact[str]
    vial_sizes: tuple[VialSize, ...]
    storage: Fact[str]
    indications: tuple[Indication, ...]  # labelled indications
    indication_notes: Fact[str]  # age limits and wording from the label
    iv_rates: tuple[IvRateLimits, ...]
    sc: ScLimits | None
    discontinued: bool = False
    aliases: tuple[str, ...] = field(default=())
    label_ages: tuple[LabelAge, ...] = ()  # one per labelled indication (the loader fills missing ones)

    @property
    def excipients_known(self) -> bool:
        """Say whether the label data name the excipients; the sugar flags mean "absent" only then."""
        return self.stabilisers.known

    def label_min_age(self, indication: Indication) -> Fact[float]:
        """Return the labelled minimum age for `indication`; MISSING when the label data give none."""
        for row in self.label_ages:
            if row.indication is indication:
                return row.min_age_years
        return Fact(None, f"no label age for {indication.value} in the catalog data", FactStatus.MISSING)

    def iv_rate_limits(self, indication: Indication) -> IvRateLimits | None:
        for limits in self.iv_rates:
            if limits.indication is indication:
                return limits
        return None


class StepRule(StrEnum):
    DOUBLE = "double"  # each step doubles the rate
    INCREMENT = "increment"  # each step adds a fixed mg/kg/min


@dataclass(frozen=True, slots=True)
class TitrationProtocol:
    """A site's titration protocol, used where a label says only "increase as tolerated".

    The label's initial and maximum rates stay hard limits whatever the protocol says.
    """

    name: str
    interval_min: float
    rule: StepRule
    increment_mg_per_kg_per_min: float | None = None
    source: str = ""


# A common protocol doubles the rate every 30 min (docs/reference/products.md s3, note under the rate table).
DEFAULT_PROTOCOL = TitrationProtocol(
    name="double every 30 min",
    interval_min=30.0,
    rule=StepRule.DOUBLE,
    source="docs/reference/products.md s3: 'a common one doubles the rate every 30 min'",
)

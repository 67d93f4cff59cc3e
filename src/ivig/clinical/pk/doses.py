"""Dose histories for the IgG model: real dates, grams, route and infusion duration, as arrays.

IV doses enter the central compartment at a constant rate over their real duration (zero order).
SC doses enter through a first-order absorption depot: bioavailable grams = F x grams, at rate ka.
F is product-specific where the reference gives it (Berger et al. 2013). The reference gives no ka, so ka is
a site setting with no default: without it, a dose history or regimen with SC doses is refused with a message
saying so (IV-only predictions need no ka).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import numpy.typing as npt

from ivig.clinical.catalog.model import Fact, FactStatus, Route

FloatArray = npt.NDArray[np.float64]

SECONDS_PER_DAY = 86_400.0
HOURS_PER_DAY = 24.0

# SC bioavailability by product (Berger et al., J Clin Immunol 2013; docs/reference/pharmacokinetics.md s9).
_BERGER_2013 = "Berger et al., J Clin Immunol 2013 (docs/reference/pharmacokinetics.md s9)"
SC_BIOAVAILABILITY: dict[str, Fact[float]] = {
    "gamunex-c": Fact(0.650, _BERGER_2013),
    "hizentra": Fact(0.655, _BERGER_2013),
    "gammagard-liquid": Fact(0.672, _BERGER_2013),
}

# The reference gives no SC absorption rate constant (docs/reference/pharmacokinetics.md s9): a site sets it.
KA_SOURCE_MISSING = "not in reference data (docs/reference/pharmacokinetics.md s9): the site's setting"
NO_SITE_KA: Fact[float] = Fact(None, KA_SOURCE_MISSING, FactStatus.MISSING)
NEEDS_SITE_KA = (
    "SC prediction needs the site's SC absorption rate constant ka (per day), "
    "which is not in the reference data"
)
NO_SITE_BIOAVAILABILITY: Fact[float] = Fact(None, "not in reference data", FactStatus.MISSING)


class PkInputError(ValueError):
    """A dose history, level or setting the model cannot use as given."""


@dataclass(frozen=True, slots=True)
class ScAbsorption:
    """Site settings for SC absorption: ka, and F for products the reference has no figure for."""

    ka_per_day: Fact[float] = NO_SITE_KA
    site_bioavailability: Fact[float] = NO_SITE_BIOAVAILABILITY

    def __post_init__(self) -> None:
        ka = self.ka_per_day.value
        if ka is not None and not ka > 0:
            raise PkInputError("the SC absorption rate constant ka must be above 0 per day")
        f = self.site_bioavailability.value
        if f is not None and not 0 < f <= 1:
            raise PkInputError("SC bioavailability must be above 0 and at most 1")

    @property
    def has_ka(self) -> bool:
        return self.ka_per_day.value is not None

    def require_ka(self) -> float:
        """Return ka, or refuse: SC doses cannot be predicted without the site's ka."""
        if self.ka_per_day.value is None:
            raise PkInputError(NEEDS_SITE_KA)
        return self.ka_per_day.value

    def bioavailability(self, product: str | None) -> Fact[float]:
        """Return F for an SC product: the reference's figure, else the site's, else refuse."""
        if product is not None and product in SC_BIOAVAILABILITY:
            return SC_BIOAVAILABILITY[product]
        if self.site_bioavailability.known:
            return self.site_bioavailability
        known = ", ".join(SC_BIOAVAILABILITY)
        raise PkInputError(
            f"SC bioavailability of {product or 'an unnamed product'} is not in reference data "
            f"(known: {known}): give the product or set the site's bioavailability"
        )


@dataclass(frozen=True, slots=True)
class Dose:
    start: datetime
    dose_g: float
    route: Route
    duration_h: float = 0.0  # IV: the real infusion duration; SC: not used
    product: str | None = None  # slug; SC bioavailability depends on it

    def __post_init__(self) -> None:
        if not self.dose_g > 0:
            raise PkInputError(f"dose on {self.start:%Y-%m-%d %H:%M} must be above 0 g")
        if self.duration_h < 0:
            raise PkInputError(f"dose on {self.start:%Y-%m-%d %H:%M}: duration cannot be negative")


@dataclass(frozen=True, slots=True)
class DoseSchedule:
    """Doses as arrays in days from `origin`, sorted by start; amounts are bioavailable grams."""

    origin: datetime
    start_day: FloatArray
    duration_day: FloatArray  # 0 for SC doses
    amount_g: FloatArray  # F x grams for SC, grams for IV
    sc: npt.NDArray[np.bool_]
    ka_per_day: float  # NaN when the schedule has no SC dose and the site has set no ka

    @property
    def count(self) -> int:
        return int(self.start_day.size)

    def scaled(self, factor: FloatArray | float) -> DoseSchedule:
        """Return the schedule with every amount multiplied (per patient when `factor` has shape (P, 1))."""
        amounts = np.asarray(factor, dtype=np.float64) * self.amount_g
        return DoseSchedule(self.origin, self.start_day, self.duration_day, amounts, self.sc, self.ka_per_day)


def day_of(moment: datetime, origin: datetime) -> float:
    """Return the time from `origin` to `moment` in days."""
    return (moment - origin).total_seconds() / SECONDS_PER_DAY


def schedule_doses(
    doses: Iterable[Dose], *, origin: datetime | None = None, absorption: ScAbsorption | None = None
) -> DoseSchedule:
    """Turn a dose history into arrays; the origin defaults to the first dose."""
    ordered = sorted(doses, key=lambda d: d.start)
    if not ordered:
        raise PkInputError("the dose history is empty")
    absorption = absorption or ScAbsorption()
    origin = origin or ordered[0].start
    amounts = [
        d.dose_g * (absorption.bioavailability(d.product).value or 0.0) if d.route is Route.SC else d.dose_g
        for d in ordered
    ]
    return DoseSchedule(
        origin=origin,
        start_day=np.array([day_of(d.start, origin) for d in ordered]),
        duration_day=np.array(
            [0.0 if d.route is Route.SC else d.duration_h / HOURS_PER_DAY for d in ordered]
        ),
        amount_g=np.array(amounts),
        sc=np.array([d.route is Route.SC for d in ordered]),
        ka_per_day=absorption.require_ka()
        if any(d.route is Route.SC for d in ordered)
        else _ka_or_nan(absorption),
    )


def _ka_or_nan(absorption: ScAbsorption) -> float:
    return float("nan") if absorption.ka_per_day.value is None else absorption.ka_per_day.value


def regimen_doses(
    *,
    first: datetime,
    dose_g: float,
    interval_days: float,
    route: Route,
    duration_h: float,
    until: datetime,
    product: str | None = None,
) -> list[Dose]:
    """Return the doses of a repeated regimen from `first` up to `until` (exclusive)."""
    if not interval_days > 0:
        raise PkInputError("the dose interval must be above 0 days")
    step = timedelta(days=interval_days)
    doses: list[Dose] = []
    moment = first
    while moment < until:
        doses.append(Dose(moment, dose_g, route, 0.0 if route is Route.SC else duration_h, product))
        moment += step
    return doses


def as_days(times: Sequence[datetime], origin: datetime) -> FloatArray:
    return np.array([day_of(t, origin) for t in times], dtype=np.float64)

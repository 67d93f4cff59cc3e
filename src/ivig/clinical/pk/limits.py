"""Check the model's suggested dose with the same levels as an order (docs/reference/dosing.md s13).

A dose from the PK fit is arithmetic on a fitted curve: a poor fit, a mistyped level or an unusual target
gives a dose no label supports (issue 16: 0.08 g/kg and 1.42 g/kg were offered as plain suggestions).
So the suggestion is judged like a prescribed dose: outside the PI or SID regimen's range per dose (IV) or
per week (SC) is a caution; above the label-derived ceiling in a day or in 28 days, counting every dose
of the interval that falls in 28 days, is a stop. Within the range, an information line says it was checked.
"""

from __future__ import annotations

from dataclasses import dataclass

from ivig.clinical.catalog.model import Product, Route
from ivig.clinical.limits import DOSE, DoseFigures, ceiling_findings
from ivig.clinical.patient import Finding, Severity
from ivig.clinical.pk.doses import PkInputError
from ivig.clinical.pk.model import Deficiency
from ivig.clinical.pk.regimen import RegimenSuggestion
from ivig.clinical.regimens import DoseOption, Regimen, get_regimen
from ivig.clinical.sc_limits import infusions_in_28_days, sc_weekly_bounds
from ivig.clinical.settings import DosingSettings

_EPS = 1e-9
CHECK_FIT = "check the fit and the levels before using it"
_RANK = {Severity.STOP: 0, Severity.CONTRAINDICATION: 0, Severity.CAUTION: 1, Severity.INFO: 2}


def maintenance_regimen(deficiency: Deficiency) -> Regimen:
    """The regimen a PK suggestion is for: replacement in primary or secondary immunodeficiency."""
    return get_regimen("sid" if deficiency is Deficiency.SECONDARY else "pi")


@dataclass(frozen=True, slots=True)
class _Dose:
    what: str  # "" for the model's dose, or what the whole vials give
    grams: float
    g_per_kg: float


def suggestion_findings(
    suggestion: RegimenSuggestion,
    *,
    weight_kg: float,
    regimen: Regimen,
    product: Product | None,
    settings: DosingSettings | None = None,
) -> list[Finding]:
    """Return stops, cautions and information for a suggested dose per infusion at `weight_kg`."""
    if suggestion.dose_g is None:
        return []
    if not weight_kg > 0:
        raise PkInputError("the dosing weight must be above 0 kg to check the suggested dose")
    settings = settings or DosingSettings()
    doses = [_Dose("", suggestion.dose_g, suggestion.dose_g / weight_kg)]
    dispensed = suggestion.dispensed_g
    if dispensed is not None and abs(dispensed - suggestion.dose_g) > _EPS:
        doses.append(_Dose(f"rounded to whole vials {dispensed:g} g", dispensed, dispensed / weight_kg))
    lead = f"the model's dose for a {suggestion.target_trough_g_per_l:g} g/L trough"
    found = _ceilings(suggestion, doses, weight_kg, product, settings, lead)
    if suggestion.route is Route.SC:
        found += _sc_range(suggestion, doses, regimen, product, lead)
    else:
        found += _iv_range(suggestion, doses, regimen, product, lead)
    return sorted(found, key=lambda f: _RANK[f.severity])


def _volume_ml(grams: float, product: Product | None) -> float:
    concentration = None if product is None else product.concentration_g_per_100ml.value
    # Without a known concentration the volume limit cannot be judged here; the order checks it.
    return 0.0 if not concentration else grams * 100.0 / concentration


def _ceilings(
    suggestion: RegimenSuggestion,
    doses: list[_Dose],
    weight_kg: float,
    product: Product | None,
    settings: DosingSettings,
    lead: str,
) -> list[Finding]:
    largest = max(d.grams for d in doses)
    count = infusions_in_28_days(suggestion.interval_weeks)
    # The repeats of the interval inside 28 days count like doses given before: one window, one limit.
    figures = DoseFigures(
        weight_kg,
        1,
        suggestion.dose_g or largest,
        largest,
        _volume_ml(largest, product),
        max(0.0, count - 1.0) * largest / weight_kg,
        window_note=f"every {suggestion.interval_weeks:g} week(s): {count:.3g} doses in 28 days",
    )
    return [
        Finding(f"pk-{f.code}", f.severity, f"{lead}: {f.message}", f.source, f.product, DOSE)
        for f in ceiling_findings(figures, settings)
    ]


def _ranges(options: tuple[DoseOption, ...]) -> str:
    """The doses any option allows, overlapping options merged (Privigen 0.2-0.8 with 0.3-0.6: 0.2-0.8)."""
    merged: list[list[float]] = []
    for low, high in sorted((o.min_g_per_kg, o.max_g_per_kg) for o in options):
        if merged and low <= merged[-1][1] + _EPS:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    return " or ".join(f"{low:g}-{high:g}" for low, high in merged)


def _which(dose: _Dose) -> str:
    return f", {dose.what}" if dose.what else ""


def _iv_range(
    suggestion: RegimenSuggestion,
    doses: list[_Dose],
    regimen: Regimen,
    product: Product | None,
    lead: str,
) -> list[Finding]:
    options = regimen.options_for("" if product is None else product.slug)
    source = "; ".join(o.source for o in options)
    ranges = _ranges(options)
    whose = "" if product is None else f" with {product.name}"
    every = f"every {suggestion.interval_weeks:g} weeks"
    for dose in doses:
        if any(o.min_g_per_kg - _EPS <= dose.g_per_kg <= o.max_g_per_kg + _EPS for o in options):
            continue
        side = _side(
            dose.g_per_kg, min(o.min_g_per_kg for o in options), max(o.max_g_per_kg for o in options)
        )
        return _range_finding(
            "pk-dose-outside-range",
            Severity.CAUTION,
            f"{lead}{_which(dose)}, {dose.g_per_kg:.3g} g/kg {every}, is {side} the range for "
            f"{regimen.name}{whose} ({ranges} g/kg a dose): {CHECK_FIT}",
            source,
            product,
        )
    return _range_finding(
        "pk-dose-within-range",
        Severity.INFO,
        f"{lead}, {doses[0].g_per_kg:.3g} g/kg {every}, is within the range for "
        f"{regimen.name}{whose} ({ranges} g/kg a dose)",
        source,
        product,
    )


def _range_finding(
    code: str, severity: Severity, message: str, source: str, product: Product | None
) -> list[Finding]:
    """The suggested dose's one finding against the regimen's range, shown on the dose field."""
    return [Finding(code, severity, message, source, None if product is None else product.slug, DOSE)]


def _side(value: float, low: float, high: float) -> str:
    if value < low:
        return "below"
    return "above" if value > high else "outside"


def _sc_range(
    suggestion: RegimenSuggestion,
    doses: list[_Dose],
    regimen: Regimen,
    product: Product | None,
    lead: str,
) -> list[Finding]:
    weeks = suggestion.interval_weeks
    source = regimen.sc_weekly.source if regimen.sc_weekly else "docs/reference/dosing.md s4, s5"
    bounds = None if product is None else sc_weekly_bounds(regimen, product)
    whose = "" if product is None else f" with {product.name}"
    weekly = doses[0].g_per_kg / weeks
    if bounds is None:
        why = "no product is named" if product is None else f"the label data give none for {product.name}"
        return _range_finding(
            "pk-sc-range-unknown",
            Severity.CAUTION,
            f"{lead}, {weekly:.3f} g/kg a week, cannot be checked against an SC range for "
            f"{regimen.name} ({why}): {CHECK_FIT}",
            source,
            product,
        )
    low, high = bounds
    for dose in doses:
        per_week = dose.g_per_kg / weeks
        if low - _EPS <= per_week <= high + _EPS:
            continue
        return _range_finding(
            "pk-dose-outside-range",
            Severity.CAUTION,
            f"{lead}{_which(dose)}, {per_week:.3f} g/kg a week, is {_side(per_week, low, high)} the SC "
            f"range for {regimen.name}{whose} ({low:.2f}-{high:.2f} g/kg a week): {CHECK_FIT}",
            source,
            product,
        )
    return _range_finding(
        "pk-dose-within-range",
        Severity.INFO,
        f"{lead}, {weekly:.3f} g/kg a week, is within the SC range for {regimen.name}{whose} "
        f"({low:.2f}-{high:.2f} g/kg a week)",
        source,
        product,
    )

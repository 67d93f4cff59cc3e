"""`ivig pk`: simulate IgG levels for a regimen, or fit a patient's levels and suggest a dose.

numpy, scipy and the PK engine are imported inside the commands, so `ivig --help` stays fast.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ivig.cli.app import app, fail
from ivig.cli.plan import MAX_WEIGHT_KG
from ivig.clinical.catalog.model import Fact, FactStatus, Route
from ivig.clinical.pk.model import Covariates, Deficiency, PkParameters
from ivig.clinical.settings import RoundingRule

if TYPE_CHECKING:
    from ivig.clinical.catalog.model import Product
    from ivig.clinical.pk.doses import ScAbsorption
    from ivig.clinical.pk.regimen import RegimenSuggestion

pk_app = typer.Typer(
    help="IgG pharmacokinetics: simulate a regimen, fit a patient's levels.", no_args_is_help=True
)
app.add_typer(pk_app, name="pk")

Opt = typer.Option
PATIENT = "Patient"
SC = "Subcutaneous (site settings)"
# EU SmPC: trough >= 6 g/L (docs/reference/pharmacokinetics.md s9); the clinician sets the patient's own
# target.
DEFAULT_TARGET_TROUGH_G_PER_L = 6.0
DEFAULT_INTERVAL_WEEKS = {Route.IV: 4.0, Route.SC: 1.0}
KA_SITE = "SC absorption rate ka = {ka:g}/day: the site's value (--ka-per-day); the reference gives none"

WeightOpt = Annotated[str, Opt(help='Weight with its unit: "70kg", "154lb".', rich_help_panel=PATIENT)]
DeficiencyOpt = Annotated[
    Deficiency, Opt(case_sensitive=False, help="primary or secondary.", rich_help_panel=PATIENT)
]
IgmOpt = Annotated[
    float | None,
    Opt(help="IgM, g/L (adjusts the baseline; leave out when unknown).", rich_help_panel=PATIENT),
]
ProductOpt = Annotated[str | None, Opt(help="Product (name or slug): SC bioavailability and vial rounding.")]
BioavailabilityOpt = Annotated[
    float | None,
    Opt(
        help="Site SC bioavailability (0-1) for products the reference has no figure for.", rich_help_panel=SC
    ),
]
KaOpt = Annotated[
    float | None,
    Opt(
        help="Site SC absorption rate constant, 1/day: required for SC doses (the reference gives none).",
        rich_help_panel=SC,
    ),
]
JsonOpt = Annotated[bool, Opt("--json", help="Print JSON instead of a table.")]


def _covariates(weight: str, deficiency: Deficiency, igm_g_per_l: float | None) -> Covariates:
    from ivig.clinical.units import parse_weight_kg

    weight_kg = parse_weight_kg(weight)
    if not 0 < weight_kg <= MAX_WEIGHT_KG:
        fail(f"weight must be above 0 and at most {MAX_WEIGHT_KG:g} kg (got {weight_kg:.1f} kg)")
    return Covariates(weight_kg, deficiency, igm_g_per_l)


def _absorption(bioavailability: float | None, ka_per_day: float | None) -> ScAbsorption:
    from ivig.clinical.pk.doses import NO_SITE_BIOAVAILABILITY, NO_SITE_KA, ScAbsorption

    site = "site setting (--sc-bioavailability)"
    return ScAbsorption(
        ka_per_day=NO_SITE_KA
        if ka_per_day is None
        else Fact(ka_per_day, "site setting (--ka-per-day)", FactStatus.SITE),
        site_bioavailability=NO_SITE_BIOAVAILABILITY
        if bioavailability is None
        else Fact(bioavailability, site, FactStatus.SITE),
    )


def _with_hint(error: ValueError) -> str:
    from ivig.clinical.pk.doses import NEEDS_SITE_KA

    return f"{error}: give --ka-per-day" if str(error) == NEEDS_SITE_KA else str(error)


def _product(name: str | None) -> Product | None:
    from ivig.clinical.catalog import default_catalog

    return None if name is None else default_catalog().get(name)


def _assumptions(absorption: ScAbsorption, any_sc: bool) -> list[str]:
    """Return the site-set values the prediction rests on (the SC ka), for the output to show."""
    if any_sc and absorption.ka_per_day.value is not None:
        return [KA_SITE.format(ka=absorption.ka_per_day.value)]
    return []


def _params_dict(params: PkParameters) -> dict[str, float]:
    return {
        "cl_l_per_day": round(params.cl_l_per_day, 4),
        "v1_l": round(params.v1_l, 3),
        "q_l_per_day": round(params.q_l_per_day, 4),
        "v2_l": round(params.v2_l, 3),
        "baseline_g_per_l": round(params.baseline_g_per_l, 3),
        "vss_l": round(params.vss_l, 3),
        "half_life_days": round(params.terminal_half_life_days, 2),
    }


def _emit(data: dict[str, Any], as_json: bool, lines: list[str]) -> None:
    if as_json:
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
    else:
        from rich.console import Console

        Console().print("\n".join(lines))


@pk_app.command("simulate")
def simulate_command(
    weight: WeightOpt,
    dose_g: Annotated[float | None, Opt(help="Dose per infusion, g.")] = None,
    dose_mg_per_kg: Annotated[float | None, Opt(help="Dose per infusion, mg/kg of actual weight.")] = None,
    deficiency: DeficiencyOpt = Deficiency.PRIMARY,
    igm_g_per_l: IgmOpt = None,
    route: Annotated[Route, Opt(case_sensitive=False, help="iv or sc.")] = Route.IV,
    interval_weeks: Annotated[float | None, Opt(help="Weeks between doses (default: 4 IV, 1 SC).")] = None,
    duration_h: Annotated[float | None, Opt(help="IV infusion duration, hours (required for IV).")] = None,
    horizon_days: Annotated[int, Opt(min=1, max=3650, help="Days to simulate.")] = 365,
    step_days: Annotated[int, Opt(min=1, help="Days between printed levels.")] = 7,
    product: ProductOpt = None,
    sc_bioavailability: BioavailabilityOpt = None,
    ka_per_day: KaOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Simulate a typical patient's IgG (g/L) on a regimen, from the first dose (no earlier IgG given)."""
    import numpy as np

    from ivig.clinical.pk.doses import regimen_doses, schedule_doses
    from ivig.clinical.pk.model import typical_parameters
    from ivig.clinical.pk.regimen import steady_state_trough_g_per_l
    from ivig.clinical.pk.simulate import ParameterArrays, population_grid

    try:
        covariates = _covariates(weight, deficiency, igm_g_per_l)
        if (dose_g is None) == (dose_mg_per_kg is None):
            fail("give one of --dose-g or --dose-mg-per-kg")
        grams = dose_g if dose_g is not None else (dose_mg_per_kg or 0.0) * covariates.weight_kg / 1000.0
        if route is Route.IV and duration_h is None:
            fail("an IV regimen needs --duration-h (the infusion's real duration)")
        weeks = interval_weeks or DEFAULT_INTERVAL_WEEKS[route]
        absorption = _absorption(sc_bioavailability, ka_per_day)
        chosen = _product(product)
        slug = None if chosen is None else chosen.slug
        start = datetime(2000, 1, 1)  # days count from the first dose; the date itself does not matter
        doses = regimen_doses(
            first=start,
            dose_g=grams,
            interval_days=weeks * 7.0,
            route=route,
            duration_h=duration_h or 0.0,
            until=start + timedelta(days=horizon_days),
            product=slug,
        )
        schedule = schedule_doses(doses, absorption=absorption)
        params = typical_parameters(covariates)
        arrays = ParameterArrays.of([params])
        days = np.arange(0, horizon_days + 1, step_days, dtype=np.float64)
        levels = population_grid(arrays, schedule, days)[0]
        steady = steady_state_trough_g_per_l(
            arrays,
            dose_g=grams,
            interval_days=weeks * 7.0,
            route=route,
            duration_h=duration_h or 0.0,
            product=slug,
            absorption=absorption,
        )[0]
    except ValueError as error:  # PkInputError, UnitError, UnknownProductError...
        fail(_with_hint(error))
    assumptions = _assumptions(absorption, route is Route.SC)
    data = {
        "covariates": {
            "weight_kg": covariates.weight_kg,
            "deficiency": str(deficiency),
            "igm_g_per_l": igm_g_per_l,
        },
        "regimen": {
            "dose_g": round(grams, 3),
            "interval_weeks": weeks,
            "route": str(route),
            "duration_h": duration_h,
        },
        "typical": _params_dict(params),
        "steady_state_trough_g_per_l": round(float(steady), 3),
        "levels": [
            {"day": int(d), "igg_g_per_l": round(float(v), 3)} for d, v in zip(days, levels, strict=True)
        ],
        "assumptions": assumptions,
    }
    lines = [
        f"[bold]Typical {covariates.weight_kg:g} kg, {deficiency} deficiency[/bold]: "
        f"{grams:.1f} g {route.upper()} every {weeks:g} weeks",
        f"CL {params.cl_l_per_day:.3f} L/day, Vss {params.vss_l:.2f} L, "
        f"baseline {params.baseline_g_per_l:.2f} g/L, half-life {params.terminal_half_life_days:.1f} days; "
        f"steady-state trough {steady:.2f} g/L",
        "",
        "day  IgG g/L",
        *(f"{int(d):>3}  {v:6.2f}" for d, v in zip(days, levels, strict=True)),
        *assumptions,
    ]
    _emit(data, as_json, lines)


@pk_app.command("fit")
def fit_command(
    data_csv: Annotated[Path, typer.Argument(help="CSV of doses and IgG levels (see docs/cli.md: ivig pk).")],
    weight: WeightOpt,
    deficiency: DeficiencyOpt = Deficiency.PRIMARY,
    igm_g_per_l: IgmOpt = None,
    target_trough_g_per_l: Annotated[
        float, Opt(help="Target trough, g/L (default 6: EU SmPC; the clinician sets the patient's own).")
    ] = DEFAULT_TARGET_TROUGH_G_PER_L,
    interval_weeks: Annotated[
        float | None, Opt(help="Suggested interval: 3 or 4 weeks IV, 1 or 2 weeks SC (default 4 IV, 1 SC).")
    ] = None,
    route: Annotated[Route, Opt(case_sensitive=False, help="Route of the suggested regimen.")] = Route.IV,
    infusion_hours: Annotated[
        float | None, Opt(help="IV duration for the suggestion (default: the last IV dose's).")
    ] = None,
    product: ProductOpt = None,
    rounding: Annotated[
        RoundingRule, Opt(case_sensitive=False, help="Site vial rounding rule.")
    ] = RoundingRule.NEAREST_VIAL,
    sc_bioavailability: BioavailabilityOpt = None,
    ka_per_day: KaOpt = None,
    days_ahead: Annotated[
        int, Opt(min=0, max=365, help="Days of predicted curve after the last event.")
    ] = 28,
    as_json: JsonOpt = False,
) -> None:
    """Fit the patient's levels (Bayesian MAP) and suggest a dose for the target trough."""
    from ivig.clinical.pk.records import PkCsvError, parse_pk_csv

    try:
        text = data_csv.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        fail(f"cannot read {data_csv}: {error}")
    try:
        records = parse_pk_csv(text)
    except PkCsvError as error:
        fail(f"{data_csv} has bad rows:\n  " + "\n  ".join(error.errors))
    try:
        covariates = _covariates(weight, deficiency, igm_g_per_l)
        absorption = _absorption(sc_bioavailability, ka_per_day)
        chosen = _product(product)
        weeks = interval_weeks or DEFAULT_INTERVAL_WEEKS[route]
        last_iv = [d.duration_h for d in records.doses if d.route is Route.IV]
        duration = infusion_hours if infusion_hours is not None else (last_iv[-1] if last_iv else 0.0)
        result = _fit(
            records,
            covariates,
            absorption,
            chosen,
            weeks,
            route,
            duration,
            rounding,
            target_trough_g_per_l,
            days_ahead,
        )
    except ValueError as error:  # PkInputError, VialError, UnknownProductError...
        fail(_with_hint(error))
    any_sc = route is Route.SC or any(d.route is Route.SC for d in records.doses)
    result["assumptions"] = _assumptions(absorption, any_sc)
    _emit(result, as_json, _fit_lines(result))
    stops = [f["message"] for f in result["findings"] if f["severity"] in ("stop", "contraindication")]
    if stops:
        # Like a plan that breaks a hard limit: the output is shown, and the exit code says it cannot be used.
        fail("the suggested dose breaks a hard limit: " + "; ".join(stops))


def _fit(
    records: Any,
    covariates: Covariates,
    absorption: ScAbsorption,
    product: Product | None,
    weeks: float,
    route: Route,
    duration_h: float,
    rounding: RoundingRule,
    target: float,
    days_ahead: int,
) -> dict[str, Any]:
    from ivig.clinical.pk.report import pk_report
    from ivig.clinical.settings import DosingSettings

    report = pk_report(
        covariates,
        records.doses,
        records.levels,
        target_trough_g_per_l=target,
        interval_weeks=weeks,
        route=route,
        duration_h=duration_h,
        product=product,
        absorption=absorption,
        settings=DosingSettings(rounding_rule=rounding),
        days_ahead=days_ahead,
    )
    fit, band, suggestion = report.fit, report.band, report.suggestion
    low, high = report.half_life_interval_days
    sd = fit.eta_sd()
    return {
        "covariates": {
            "weight_kg": covariates.weight_kg,
            "deficiency": str(covariates.deficiency),
            "igm_g_per_l": covariates.igm_g_per_l,
        },
        "typical": _params_dict(fit.typical),
        "individual": _params_dict(fit.individual),
        "eta": dict(zip(("cl", "v2", "baseline"), (round(e, 4) for e in fit.eta), strict=True)),
        "eta_sd": dict(zip(("cl", "v2", "baseline"), (round(s, 4) for s in sd), strict=True)),
        "half_life_days": round(fit.half_life_days, 2),
        "half_life_90pct_days": [round(low, 2), round(high, 2)],
        "converged": fit.converged,
        "levels": [
            {
                "datetime": lv.at.isoformat(),
                "measured_g_per_l": lv.conc_g_per_l,
                "predicted_g_per_l": round(p, 3),
            }
            for lv, p in zip(sorted(records.levels, key=lambda x: x.at), fit.predicted_g_per_l, strict=True)
        ],
        "curve": [
            {
                "date": (fit.origin + timedelta(days=float(d))).date().isoformat(),
                "predicted_g_per_l": round(float(p), 3),
                "lower_g_per_l": round(float(lo), 3),
                "upper_g_per_l": round(float(hi), 3),
            }
            for d, p, lo, hi in zip(
                band.days, band.predicted_g_per_l, band.lower_g_per_l, band.upper_g_per_l, strict=True
            )
        ],
        "band_coverage": band.coverage,
        "suggestion": _suggestion_dict(suggestion),
        "findings": [
            {"severity": str(f.severity), "code": f.code, "message": f.message, "source": f.source}
            for f in report.findings
        ],
    }


def _suggestion_dict(s: RegimenSuggestion) -> dict[str, Any]:
    vials = s.vials
    dispensed = s.dispensed_g
    return {
        "route": str(s.route),
        "interval_weeks": s.interval_weeks,
        "target_trough_g_per_l": s.target_trough_g_per_l,
        "dose_g": None if s.dose_g is None else round(s.dose_g, 2),
        "dispensed_g": dispensed,
        "vials": None if vials is None else [{"size_g": v.size_g, "count": v.count} for v in vials.vials],
        "predicted_trough_g_per_l": None if dispensed is None else round(s.trough_for(dispensed), 2),
        "note": s.note,
    }


def _fit_lines(r: dict[str, Any]) -> list[str]:
    from rich.markup import escape

    ind, s = r["individual"], r["suggestion"]
    lo, hi = r["half_life_90pct_days"]
    lines = [
        f"[bold]Individual estimates[/bold] (typical in brackets): CL {ind['cl_l_per_day']} L/day "
        f"[{r['typical']['cl_l_per_day']}], V2 {ind['v2_l']} L [{r['typical']['v2_l']}], "
        f"baseline {ind['baseline_g_per_l']} g/L [{r['typical']['baseline_g_per_l']}]",
        f"Half-life {r['half_life_days']} days (90 % interval {lo}-{hi})",
        "",
        "level                 measured  predicted",
        *(
            f"{lv['datetime']:<20}  {lv['measured_g_per_l']:8.2f}  {lv['predicted_g_per_l']:9.2f}"
            for lv in r["levels"]
        ),
        "",
    ]
    if s["dose_g"] is None:
        lines.append(f"Suggestion: {s['note']}")
    else:
        vials = (
            "" if s["vials"] is None else ", ".join(f"{v['count']} x {v['size_g']:g} g" for v in s["vials"])
        )
        lines.append(
            f"[bold]Suggestion[/bold]: {s['dose_g']} g {s['route'].upper()} "
            f"every {s['interval_weeks']:g} weeks for a trough of {s['target_trough_g_per_l']:g} g/L"
            + (
                f"; dispense {s['dispensed_g']:g} g ({vials}), "
                f"predicted trough {s['predicted_trough_g_per_l']} g/L"
                if vials
                else ""
            )
        )
        if s["note"]:
            lines.append(s["note"])
    colour = {"stop": "red", "contraindication": "red", "caution": "yellow", "info": "blue"}
    lines += [
        f"[{colour[f['severity']]}]{f['severity'].upper()}[/{colour[f['severity']]}] {escape(f['message'])} "
        f"({escape(f['source'])})"
        for f in r["findings"]
    ]
    assumptions: list[str] = r["assumptions"]
    return lines + assumptions

"""`ivig plan`: a dose, vial and rate plan for one patient, as a table or JSON.

The clinical engine and rich are imported inside the command, so `ivig --help` and other
commands start fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ivig.cli.app import app
from ivig.cli.app import fail as _fail
from ivig.clinical.catalog.model import Route
from ivig.clinical.patient import BloodGroup, GlucoseMeter, Sex, ThrombosisRisk
from ivig.clinical.settings import RateWeightBasis, RoundingRule, WeightPolicy
from ivig.clinical.weight import WeightBasis

if TYPE_CHECKING:
    from ivig.clinical.patient import Finding
    from ivig.clinical.plan import InfusionPlan

# Plausible input bounds: beyond them the value is a typo, not a patient (issue 3, bad input).
MAX_WEIGHT_KG = 350.0
MIN_HEIGHT_CM, MAX_HEIGHT_CM = 20.0, 250.0

Opt = typer.Option
PATIENT = "Patient"
RISK = "Risk factors"
DOSE = "Dose"
HISTORY = "Infusion history"
SC = "Subcutaneous"
SITE = "Site settings"


@app.command("plan")
def plan_command(
    product: Annotated[str, Opt(help='Product name, e.g. "Gammagard Liquid" or gammagard-liquid.')],
    indication: Annotated[
        str,
        Opt(
            help="Regimen: pi, measles-exposure, sid, itp, kawasaki, cidp-loading, cidp-maintenance, gbs,"
            " mmn, dm."
        ),
    ],
    weight: Annotated[
        str,
        Opt(
            help='Actual weight with its unit: "70kg", "154lb"; a bare number uses --weight-unit.',
            rich_help_panel=PATIENT,
        ),
    ],
    sex: Annotated[Sex, Opt(case_sensitive=False, rich_help_panel=PATIENT)],
    age: Annotated[float, Opt(help="Age in years.", min=0, max=130, rich_help_panel=PATIENT)],
    weight_unit: Annotated[
        str, Opt(help="Unit for a bare --weight: kg or lb.", rich_help_panel=PATIENT)
    ] = "kg",
    height: Annotated[
        str | None,
        Opt(
            help='Height with its unit: "170cm", "67in"; a bare number uses --height-unit.',
            rich_help_panel=PATIENT,
        ),
    ] = None,
    height_unit: Annotated[
        str, Opt(help="Unit for a bare --height: cm or in.", rich_help_panel=PATIENT)
    ] = "cm",
    pregnant: Annotated[bool, Opt("--pregnant", rich_help_panel=PATIENT)] = False,
    pre_pregnancy_weight: Annotated[
        str | None,
        Opt(
            help="Weight before pregnancy, with its unit like --weight (some policies dose on it).",
            rich_help_panel=PATIENT,
        ),
    ] = None,
    route: Annotated[Route, Opt(case_sensitive=False, help="iv or sc.")] = Route.IV,
    dose_mg_per_kg: Annotated[
        float | None,
        Opt(help="Dose per kg, per day or per course as the regimen states it.", rich_help_panel=DOSE),
    ] = None,
    dose_g_per_kg: Annotated[
        float | None, Opt(help="Same as --dose-mg-per-kg, in g/kg.", rich_help_panel=DOSE)
    ] = None,
    days: Annotated[
        int | None, Opt(min=1, help="Days in the course (default: the regimen's).", rich_help_panel=DOSE)
    ] = None,
    override_reason: Annotated[
        str,
        Opt(
            help="Written reason for a dose, days, indication or weight basis outside the label or policy.",
            rich_help_panel=DOSE,
        ),
    ] = "",
    accept_rounded_dose: Annotated[
        bool,
        Opt(
            "--accept-rounded-dose",
            help="Infuse the whole vials rather than the prescribed dose (a caution).",
            rich_help_panel=DOSE,
        ),
    ] = False,
    previous_g_per_kg_28_days: Annotated[
        float,
        Opt(
            min=0,
            help="g/kg already given in the 28 days before this course (for the 28-day ceiling).",
            rich_help_panel=DOSE,
        ),
    ] = 0.0,
    max_rate_mg_per_kg_min: Annotated[
        float | None,
        Opt(
            help="Prescriber's lower maximum rate, mg/kg/min (never raises the label's).",
            rich_help_panel=DOSE,
        ),
    ] = None,
    weight_basis: Annotated[
        WeightBasis | None,
        Opt(
            case_sensitive=False,
            help="Override the policy's weight basis (needs --override-reason).",
            rich_help_panel=DOSE,
        ),
    ] = None,
    egfr: Annotated[float | None, Opt(help="eGFR, mL/min/1.73 m2.", rich_help_panel=RISK)] = None,
    renal_impairment: Annotated[bool, Opt("--renal-impairment", rich_help_panel=RISK)] = False,
    diabetes: Annotated[bool, Opt("--diabetes", rich_help_panel=RISK)] = False,
    glucose_meter: Annotated[
        GlucoseMeter, Opt(case_sensitive=False, rich_help_panel=RISK)
    ] = GlucoseMeter.UNKNOWN,
    thrombosis_risk: Annotated[
        list[ThrombosisRisk] | None,
        Opt(case_sensitive=False, help="Repeat for each risk factor.", rich_help_panel=RISK),
    ] = None,
    volume_depletion: Annotated[bool, Opt("--volume-depletion", rich_help_panel=RISK)] = False,
    sepsis: Annotated[bool, Opt("--sepsis", rich_help_panel=RISK)] = False,
    paraproteinaemia: Annotated[bool, Opt("--paraproteinaemia", rich_help_panel=RISK)] = False,
    nephrotoxic_drugs: Annotated[bool, Opt("--nephrotoxic-drugs", rich_help_panel=RISK)] = False,
    iga_deficient_with_antibodies: Annotated[
        bool, Opt("--iga-deficient-with-antibodies", rich_help_panel=RISK)
    ] = False,
    hyperprolinaemia: Annotated[bool, Opt("--hyperprolinaemia", rich_help_panel=RISK)] = False,
    hereditary_fructose_intolerance: Annotated[
        bool, Opt("--hereditary-fructose-intolerance", rich_help_panel=RISK)
    ] = False,
    heart_failure: Annotated[
        bool, Opt("--heart-failure", help="Heart failure or volume concern.", rich_help_panel=RISK)
    ] = False,
    blood_group: Annotated[BloodGroup, Opt(case_sensitive=False, rich_help_panel=RISK)] = BloodGroup.UNKNOWN,
    migraine: Annotated[bool, Opt("--migraine", rich_help_panel=RISK)] = False,
    previous_reaction: Annotated[
        list[str] | None, Opt(help="Product the patient reacted to; repeat for each.", rich_help_panel=RISK)
    ] = None,
    first_infusion: Annotated[bool, Opt("--first-infusion", rich_help_panel=HISTORY)] = False,
    weeks_since_last: Annotated[float | None, Opt(min=0, rich_help_panel=HISTORY)] = None,
    product_switch: Annotated[bool, Opt("--product-switch", rich_help_panel=HISTORY)] = False,
    last_tolerated_rate: Annotated[
        float | None, Opt(help="mg/kg/min; used only when the site allows it.", rich_help_panel=HISTORY)
    ] = None,
    sc_dose_g: Annotated[float | None, Opt(help="SC dose per infusion, g.", rich_help_panel=SC)] = None,
    previous_iv_dose_g: Annotated[
        float | None, Opt(help="Previous IVIG dose, g (for conversion).", rich_help_panel=SC)
    ] = None,
    iv_interval_weeks: Annotated[
        float | None, Opt(help="Weeks between previous IVIG doses.", rich_help_panel=SC)
    ] = None,
    sc_interval_weeks: Annotated[float, Opt(help="Weeks between SC infusions.", rich_help_panel=SC)] = 1.0,
    sc_infusion_number: Annotated[
        int, Opt(min=1, help="1 for the first SC infusion.", rich_help_panel=SC)
    ] = 1,
    site_config: Annotated[
        Path | None, Opt(help="Site file (JSON): local products, protocols, limits.", rich_help_panel=SITE)
    ] = None,
    weight_policy: Annotated[
        WeightPolicy, Opt(case_sensitive=False, rich_help_panel=SITE)
    ] = WeightPolicy.ACTUAL,
    adjusted_factor: Annotated[
        float, Opt(help="Adjusted-weight factor (0.4 NBA; 0.5 Harriet Lane).", rich_help_panel=SITE)
    ] = 0.4,
    rounding: Annotated[
        RoundingRule, Opt(case_sensitive=False, rich_help_panel=SITE)
    ] = RoundingRule.NEAREST_VIAL,
    rounding_tolerance: Annotated[
        float, Opt(help="% a dose may be rounded down.", rich_help_panel=SITE)
    ] = 10.0,
    max_g_per_day: Annotated[
        float | None, Opt(help="Site maximum grams a day.", rich_help_panel=SITE)
    ] = None,
    pump_precision: Annotated[float, Opt(help="Pump precision, mL/h.", rich_help_panel=SITE)] = 0.1,
    rate_weight: Annotated[
        RateWeightBasis,
        Opt(case_sensitive=False, help="Weight that turns mg/kg/min into mL/h.", rich_help_panel=SITE),
    ] = RateWeightBasis.DOSING,
    risk_cap: Annotated[
        float | None, Opt(help="Site rate cap for thrombosis/renal risk, mg/kg/min.", rich_help_panel=SITE)
    ] = None,
    protocol: Annotated[
        str | None, Opt(help="Titration protocol name (default or site file).", rich_help_panel=SITE)
    ] = None,
    price_per_g: Annotated[
        float | None, Opt(help="Price per gram, to report cost.", rich_help_panel=SITE)
    ] = None,
    as_json: Annotated[bool, Opt("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Plan the dose, vials and infusion rates for one patient."""
    from ivig.clinical.catalog import (
        CatalogSchemaError,
        UnknownProductError,
        UnknownProtocolError,
        load_catalog,
    )
    from ivig.clinical.patient import PatientFactors
    from ivig.clinical.plan import PlanRequest, plan_infusion
    from ivig.clinical.settings import DosingSettings
    from ivig.clinical.units import parse_height_cm, parse_weight_kg
    from ivig.clinical.weight import WeightOverride

    try:
        weight_kg = parse_weight_kg(weight, weight_unit)
        height_cm = None if height is None else parse_height_cm(height, height_unit)
        if not 0 < weight_kg <= MAX_WEIGHT_KG:
            _fail(f"weight must be above 0 and at most {MAX_WEIGHT_KG:g} kg (got {weight_kg:.1f} kg)")
        before_kg = (
            None if pre_pregnancy_weight is None else parse_weight_kg(pre_pregnancy_weight, weight_unit)
        )
        if before_kg is not None and not 0 < before_kg <= MAX_WEIGHT_KG:
            _fail(
                f"pre-pregnancy weight must be above 0 and at most {MAX_WEIGHT_KG:g} kg (got {before_kg:.1f})"
            )
        if height_cm is not None and not MIN_HEIGHT_CM <= height_cm <= MAX_HEIGHT_CM:
            _fail(f"height must be {MIN_HEIGHT_CM:g}-{MAX_HEIGHT_CM:g} cm (got {height_cm:.1f} cm)")
        if max_rate_mg_per_kg_min is not None and max_rate_mg_per_kg_min <= 0:
            _fail(f"--max-rate-mg-per-kg-min must be above 0 (got {max_rate_mg_per_kg_min:g})")
        if dose_mg_per_kg is not None and dose_g_per_kg is not None:
            _fail("give --dose-mg-per-kg or --dose-g-per-kg, not both")
        catalog = load_catalog(site_config)
        product_slug = catalog.get(product).slug
        settings = DosingSettings(
            adjusted_weight_factor=adjusted_factor,
            weight_policy=weight_policy,
            rounding_rule=rounding,
            rounding_tolerance_pct=rounding_tolerance,
            max_dose_g_per_day=max_g_per_day,
            pump_precision_ml_per_h=pump_precision,
            rate_weight_basis=rate_weight,
            risk_rate_cap_mg_per_kg_per_min=risk_cap,
            titration_protocol=catalog.protocol(protocol)
            if protocol
            else DosingSettings().titration_protocol,
            price_per_g={} if price_per_g is None else {product_slug: price_per_g},
            allow_start_at_last_tolerated_rate=last_tolerated_rate is not None,
        )
        patient = PatientFactors(
            age_years=age,
            sex=sex,
            weight_kg=weight_kg,
            height_cm=height_cm,
            pregnant=pregnant,
            pre_pregnancy_weight_kg=before_kg,
            egfr_ml_per_min_per_1_73m2=egfr,
            renal_impairment=renal_impairment,
            diabetes=diabetes,
            glucose_meter=glucose_meter,
            thrombosis_risks=frozenset(thrombosis_risk or ()),
            volume_depletion=volume_depletion,
            sepsis=sepsis,
            paraproteinaemia=paraproteinaemia,
            nephrotoxic_drugs=nephrotoxic_drugs,
            iga_deficient_with_antibodies=iga_deficient_with_antibodies,
            hyperprolinaemia=hyperprolinaemia,
            hereditary_fructose_intolerance=hereditary_fructose_intolerance,
            heart_failure_or_volume_concern=heart_failure,
            blood_group=blood_group,
            migraine=migraine,
            previous_reactions=tuple(catalog.get(name).slug for name in previous_reaction or ()),
            first_infusion=first_infusion,
        )
        dose = dose_g_per_kg if dose_mg_per_kg is None else dose_mg_per_kg / 1000.0
        request = PlanRequest(
            product=product_slug,
            indication=indication,
            patient=patient,
            route=route,
            dose_g_per_kg=dose,
            days=days,
            override_reason=override_reason,
            weight_override=None if weight_basis is None else WeightOverride(weight_basis, override_reason),
            weeks_since_last_infusion=weeks_since_last,
            product_switch=product_switch,
            last_tolerated_rate_mg_per_kg_per_min=last_tolerated_rate,
            sc_dose_g=sc_dose_g,
            previous_iv_dose_g=previous_iv_dose_g,
            iv_interval_weeks=iv_interval_weeks,
            sc_interval_weeks=sc_interval_weeks,
            sc_infusion_number=sc_infusion_number,
            max_rate_mg_per_kg_per_min=max_rate_mg_per_kg_min,
            accept_rounded_dose=accept_rounded_dose,
            previous_g_per_kg_28_days=previous_g_per_kg_28_days,
        )
        plan = plan_infusion(request, catalog=catalog, settings=settings)
    except (UnknownProductError, UnknownProtocolError) as error:
        _fail(str(error))
    except (CatalogSchemaError, ValueError) as error:  # PlanError, WeightError, UnitError, RegimenError...
        _fail(str(error))
    if as_json:
        data = plan.to_dict()
        data.setdefault("stops", [_finding_dict(f) for f in plan.stops])
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
    else:
        _print_table(plan)
    if plan.stops:
        # A stop is a hard limit: the plan is shown so the prescriber sees why, but the exit code tells
        # any script that this plan must not be signed, verified or given.
        for stop in plan.stops:
            typer.echo(f"Stopped: {stop.message} ({stop.source})", err=True)
        raise typer.Exit(2)


def _finding_dict(finding: Finding) -> dict[str, str | None]:
    return {
        "code": finding.code,
        "severity": str(finding.severity),
        "message": finding.message,
        "source": finding.source,
        "product": finding.product,
        "field": finding.field,
    }


def _print_table(plan: InfusionPlan) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if plan.stops:
        table = Table("severity", "code", "limit", "source", title="STOPPED: do not sign, verify or give")
        for stop in plan.stops:
            table.add_row(str(stop.severity), stop.code, stop.message, stop.source, style="bold red")
        console.print(table)
    weight = plan.dosing_weight
    console.print(
        f"[bold]{plan.product.name}[/bold] {plan.route.upper()} - {plan.regimen.name}\n"
        f"Dosing weight {weight.kg:.1f} kg ({weight.basis}: {weight.reason}); "
        f"dose {plan.dose_g_per_kg:g} g/kg per {plan.regimen.dose_per}; "
        f"prescribed {plan.prescribed_dose_g:.2f} g, dispensed {plan.dispensed_dose_g:g} g"
        + ("" if plan.cost is None else f"; cost {plan.cost:.2f}")
    )
    day = plan.days[0]  # every day of a course gets the same share, vials and rates
    label = "Day 1" if len(plan.days) == 1 else f"Each of days 1-{len(plan.days)}"
    vials = ", ".join(f"{v.count} x {v.size_g:g} g" for v in day.vials.vials)
    console.print(
        f"\n[bold]{label}[/bold]: {day.dose_g:.2f} g -> {day.vials.dispensed_g:g} g "
        f"({day.vials.difference_g:+.2f} g, {day.vials.difference_pct:+.1f} %), {vials}; {day.volume_ml:g} mL"
    )
    if day.rates is not None:
        table = Table("start min", "min", "mg/kg/min", "mL/kg/h", "pump mL/h", "mL given")
        for s in day.rates.steps:
            table.add_row(
                f"{s.start_min:.0f}",
                f"{s.duration_min:.1f}",
                f"{s.rate_mg_per_kg_per_min:g}",
                f"{s.rate_ml_per_kg_per_h:.2f}",
                f"{s.rate_ml_per_h:g}",
                f"{s.volume_ml:.1f}",
            )
        console.print(table)
        console.print(f"Total {day.rates.duration_min:.0f} min; rates per {day.rates.rate_weight_kg:.1f} kg")
    if day.sc is not None:
        sc = day.sc
        console.print(
            f"{sc.sites} site(s) x {sc.ml_per_site:.1f} mL at {sc.rate_ml_per_h_per_site:g} mL/h/site; "
            f"{sc.duration_min:.0f} min"
        )
    others = [w for w in plan.warnings if not w.severity.blocks]
    if others:
        table = Table("severity", "code", "message", title="Warnings")
        for w in others:
            table.add_row(str(w.severity), w.code, w.message)
        console.print(table)

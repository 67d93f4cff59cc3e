"""The model's dose is checked like a prescribed one: outside the regimen's range a caution, above the
label-derived ceilings (a day, or 28 days counting every dose of the interval) a stop (issue 16 item 5)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from ivig.clinical.catalog import default_catalog
from ivig.clinical.catalog.model import Fact, FactStatus, Product, Route
from ivig.clinical.patient import Finding, Severity
from ivig.clinical.pk.doses import ScAbsorption
from ivig.clinical.pk.fit import Level
from ivig.clinical.pk.limits import maintenance_regimen, suggestion_findings
from ivig.clinical.pk.model import Covariates, Deficiency, typical_parameters
from ivig.clinical.pk.regimen import RegimenSuggestion, suggest_regimen
from ivig.clinical.pk.report import pk_report
from ivig.clinical.regimens import get_regimen
from ivig.clinical.settings import DosingSettings, RoundingRule

from .helpers import START, WITH_KA, regimen

WEIGHT_KG = 70.0
PARAMS = typical_parameters(Covariates(WEIGHT_KG))
PI = get_regimen("pi")


def _suggestion(
    g_per_kg: float,
    *,
    target: float = 6.0,
    weeks: float = 4.0,
    route: Route = Route.IV,
    product: Product | None = None,
    absorption: ScAbsorption = WITH_KA,
    settings: DosingSettings | None = None,
) -> RegimenSuggestion:
    """The fit's suggestion when the patient's baseline makes the dose for `target` exactly `g_per_kg`."""
    kwargs: dict[str, Any] = {
        "interval_weeks": weeks,
        "route": route,
        "product": product,
        "absorption": absorption,
        "settings": settings,
    }
    per_g = suggest_regimen(PARAMS, target_trough_g_per_l=20.0, **kwargs).trough_g_per_l_per_g
    params = replace(PARAMS, baseline_g_per_l=target - g_per_kg * WEIGHT_KG * per_g)
    suggestion = suggest_regimen(params, target_trough_g_per_l=target, **kwargs)
    assert suggestion.dose_g == pytest.approx(g_per_kg * WEIGHT_KG)
    return suggestion


def _check(suggestion: RegimenSuggestion, product: Product | None = None, name: str = "pi") -> list[Finding]:
    return suggestion_findings(suggestion, weight_kg=WEIGHT_KG, regimen=get_regimen(name), product=product)


def _codes(findings: list[Finding]) -> list[tuple[Severity, str]]:
    return [(f.severity, f.code) for f in findings]


def test_it_cautions_on_the_0_08_g_per_kg_suggestion_below_the_pi_range() -> None:
    findings = _check(_suggestion(0.08))

    assert _codes(findings) == [(Severity.CAUTION, "pk-dose-outside-range")]
    message = findings[0].message
    assert "6 g/L trough" in message and "0.08 g/kg" in message and "below" in message
    assert "0.3-0.6 g/kg" in message and "check the fit and the levels" in message
    assert findings[0].field == "dose" and "300-600 mg/kg" in findings[0].source


def test_it_cautions_on_the_1_42_g_per_kg_suggestion_above_the_range_without_a_stop() -> None:
    findings = _check(_suggestion(1.42, target=12.0))

    assert _codes(findings) == [(Severity.CAUTION, "pk-dose-outside-range")]
    assert "1.42 g/kg" in findings[0].message and "above" in findings[0].message


def test_it_uses_the_products_own_range() -> None:
    privigen = default_catalog().get("privigen")

    assert _codes(_check(_suggestion(0.25, product=privigen), privigen)) == [
        (Severity.INFO, "pk-dose-within-range")
    ]
    assert _codes(_check(_suggestion(0.25))) == [(Severity.CAUTION, "pk-dose-outside-range")]


def test_it_informs_when_the_dose_is_within_the_range() -> None:
    findings = _check(_suggestion(0.45, target=8.0))

    assert _codes(findings) == [(Severity.INFO, "pk-dose-within-range")]
    assert "0.45 g/kg every 4 weeks, is within" in findings[0].message


def test_it_checks_a_secondary_deficiency_against_the_sid_range() -> None:
    assert maintenance_regimen(Deficiency.SECONDARY).id == "sid"
    assert maintenance_regimen(Deficiency.PRIMARY).id == "pi"
    findings = _check(_suggestion(0.45, target=8.0), name="sid")

    assert _codes(findings) == [(Severity.CAUTION, "pk-dose-outside-range")]
    assert "0.2-0.4 g/kg" in findings[0].message


def test_it_stops_a_dose_above_the_daily_ceiling() -> None:
    findings = _check(_suggestion(2.1, target=12.0))

    assert (Severity.STOP, "pk-above-daily-ceiling") in _codes(findings)
    assert findings[0].severity is Severity.STOP and "2.10 g/kg in one day" in findings[0].message


def test_it_counts_every_dose_of_a_3_week_interval_in_28_days() -> None:
    every_4 = _check(_suggestion(1.9, target=12.0, weeks=4.0))
    every_3 = _check(_suggestion(1.9, target=12.0, weeks=3.0))

    assert not any(f.severity.blocks for f in every_4)
    assert _codes(every_3)[0] == (Severity.STOP, "pk-above-28-day-ceiling")
    assert "2.53 g/kg in 28 days" in every_3[0].message


def test_it_stops_at_a_site_lowered_ceiling() -> None:
    settings = DosingSettings(max_g_per_kg_per_day=1.0)
    findings = suggestion_findings(
        _suggestion(1.42, target=12.0), weight_kg=WEIGHT_KG, regimen=PI, product=None, settings=settings
    )

    assert findings[0].code == "pk-above-daily-ceiling" and "lowered from 2" in findings[0].source


def test_it_checks_the_whole_vials_when_rounding_leaves_the_range() -> None:
    gamunex = default_catalog().get("gamunex-c")
    # 0.31 g/kg of 70 kg is 21.7 g; rounded to the nearest 5 g, 20 g is 0.286 g/kg, below 0.3.
    settings = DosingSettings(rounding_rule=RoundingRule.NEAREST_5_G)
    suggestion = _suggestion(0.31, target=7.0, product=gamunex, settings=settings)
    assert suggestion.dispensed_g == 20.0

    findings = _check(suggestion, gamunex)

    assert _codes(findings) == [(Severity.CAUTION, "pk-dose-outside-range")]
    assert "rounded to whole vials 20 g, 0.286 g/kg" in findings[0].message


def test_it_checks_sc_doses_per_week_and_over_28_days() -> None:
    hizentra = default_catalog().get("hizentra")
    within = _check(_suggestion(0.15, target=8.0, route=Route.SC, weeks=1.0, product=hizentra), hizentra)
    high = _check(_suggestion(0.4, target=10.0, route=Route.SC, weeks=1.0, product=hizentra), hizentra)
    over = _check(_suggestion(0.7, target=14.0, route=Route.SC, weeks=1.0, product=hizentra), hizentra)

    assert _codes(within) == [(Severity.INFO, "pk-dose-within-range")]
    assert _codes(high) == [(Severity.CAUTION, "pk-dose-outside-range")]
    assert "0.400 g/kg a week" in high[0].message and "0.10-0.27 g/kg a week" in high[0].message
    assert _codes(over)[0] == (Severity.STOP, "pk-above-28-day-ceiling")
    assert "2.80 g/kg in 28 days" in over[0].message


def test_it_cautions_when_no_sc_range_is_known() -> None:
    gammaked = default_catalog().get("gammaked")
    absorption = replace(
        WITH_KA, site_bioavailability=Fact(0.7, "test input", FactStatus.SITE)
    )  # the reference has none for Gammaked SC

    findings = _check(
        _suggestion(0.15, target=8.0, route=Route.SC, weeks=1.0, product=gammaked, absorption=absorption),
        gammaked,
    )

    assert _codes(findings) == [(Severity.CAUTION, "pk-sc-range-unknown")]


def test_it_gives_no_findings_without_a_dose() -> None:
    suggestion = suggest_regimen(PARAMS, target_trough_g_per_l=5.0, interval_weeks=4.0, route=Route.IV)

    assert suggestion.dose_g is None and _check(suggestion) == []


def test_the_report_carries_the_findings_for_the_patients_deficiency() -> None:
    doses = regimen(28.0, 28.0, days=120.0)
    levels = [Level(START + timedelta(days=d), 7.0) for d in (27.9, 55.9, 111.9)]
    covariates = Covariates(WEIGHT_KG, Deficiency.SECONDARY)

    def report_for(**weight: float) -> Any:
        return pk_report(
            covariates,
            doses,
            levels,
            target_trough_g_per_l=6.0,
            interval_weeks=4.0,
            route=Route.IV,
            duration_h=3.0,
            **weight,
        )

    report = report_for()

    assert report.suggestion.dose_g is not None
    expected = suggestion_findings(
        report.suggestion, weight_kg=WEIGHT_KG, regimen=get_regimen("sid"), product=None
    )
    assert report.findings == tuple(expected) and report.findings
    heavier = report_for(dosing_weight_kg=2 * WEIGHT_KG)
    assert heavier.findings != report.findings

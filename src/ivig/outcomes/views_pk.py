"""The patient's IgG pharmacokinetics page: dose history, levels, the MAP fit with its band, and the
regimen for the clinician's target trough. Nothing is written: the prescriber writes the next order."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ivig.accounts.access import requires
from ivig.accounts.roles import PRESCRIBE, VIEW_OUTCOMES
from ivig.clinical.catalog.model import Route
from ivig.clinical.pk.doses import NEEDS_SITE_KA, PkInputError
from ivig.clinical.pk.limits import maintenance_regimen
from ivig.clinical.pk.model import SOURCE as MODEL_SOURCE
from ivig.clinical.pk.model import Deficiency
from ivig.clinical.vials import VialError
from ivig.orders.planning import site_settings
from ivig.outcomes.charts import igg_chart
from ivig.outcomes.forms import PkForm
from ivig.outcomes.pk_data import (
    DEFAULT_TARGET_G_PER_L,
    REGIMEN_CHOICES,
    TARGET_SOURCE,
    CheckWeight,
    PkChoice,
    check_weight,
    fit_patient,
    gather,
    product_for,
)
from ivig.patients.models import Patient
from ivig.siteconfig.models import SiteSettings


def _initial(inputs: Any) -> dict[str, Any]:
    regimen = "sc1" if inputs.last_route is Route.SC else "iv4"
    return {
        "target_trough_g_per_l": DEFAULT_TARGET_G_PER_L[inputs.deficiency],
        "regimen": regimen,
        "product": inputs.last_product,
        "deficiency": inputs.deficiency.value,
    }


@requires(VIEW_OUTCOMES)
def patient_pk(request: HttpRequest, pk: int) -> HttpResponse:
    patient = Patient.objects.visible_or_404(request.user, pk)
    inputs = gather(patient)
    initial = _initial(inputs)
    form = PkForm(request.GET if "target_trough_g_per_l" in request.GET else None, initial=initial)
    report = error = None
    weight: CheckWeight | None = None
    status = 200
    absorption = SiteSettings.load().sc_absorption()
    if form.is_bound and not form.is_valid():
        status = 400
    elif not inputs.missing:
        data = form.cleaned_data if form.is_bound else initial
        product_slug = data.get("product") or ""
        choice = PkChoice(
            target_trough_g_per_l=float(data["target_trough_g_per_l"]),
            regimen=data["regimen"],
            product=product_for(product_slug),
            deficiency=Deficiency(data["deficiency"]),
            igm_g_per_l=None if data.get("igm_g_per_l") is None else float(data["igm_g_per_l"]),
        )
        settings = site_settings()
        if inputs.weight_kg is not None:
            regimen = maintenance_regimen(choice.deficiency)
            weight = check_weight(patient, inputs.weight_kg, regimen, settings)
        try:
            report = fit_patient(inputs, choice, settings, absorption, weight)
        except (PkInputError, VialError) as problem:
            error = str(problem)
            if error == NEEDS_SITE_KA:
                error += ": an administrator sets it on the site settings page"
    target = float(form.cleaned_data["target_trough_g_per_l"]) if form.is_bound and form.is_valid() else None
    if not form.is_bound:
        target = initial["target_trough_g_per_l"]
    chart = igg_chart(inputs, report, target) if (inputs.doses or inputs.levels) else None
    any_sc = any(e.dose.route is Route.SC for e in inputs.doses) or (
        form.is_bound and form.is_valid() and REGIMEN_CHOICES[form.cleaned_data["regimen"]][0] is Route.SC
    )
    context = {
        "patient": patient,
        "inputs": inputs,
        "form": form,
        "report": report,
        "error": error,
        "chart": chart,
        "levels": _level_rows(inputs, report),
        "suggestion": _suggestion(report, weight),
        "model_source": MODEL_SOURCE,
        "target_source": TARGET_SOURCE,
        "ka_note": _ka_note(absorption.ka_per_day.value) if any_sc else "",
        "can_prescribe": request.user.has_perm(PRESCRIBE),
        "regimen_choices": REGIMEN_CHOICES,
    }
    return render(request, "outcomes/pk.html", context, status=status)


def _ka_note(ka_per_day: float | None) -> str:
    if ka_per_day is None:
        return "not set in site settings (not in the reference data), so SC predictions are not made"
    return f"{ka_per_day:g} per day, the site's setting (not in the reference data)"


def _level_rows(inputs: Any, report: Any) -> list[dict[str, Any]]:
    predicted = list(report.fit.predicted_g_per_l) if report is not None else []
    rows = []
    for i, (result, level) in enumerate(inputs.levels):
        rows.append(
            {
                "taken_on": result.taken_on,
                "measured": level.conc_g_per_l,
                "predicted": predicted[i] if i < len(predicted) else None,
            }
        )
    return rows


def _suggestion(report: Any, weight: CheckWeight | None) -> dict[str, Any] | None:
    if report is None:
        return None
    s = report.suggestion
    dispensed = s.dispensed_g
    return {
        "findings": report.findings,
        "blocked": any(f.severity.blocks for f in report.findings),
        "checked": bool(report.findings) and all(f.severity == "info" for f in report.findings),
        "weight": weight,
        "route": s.route.upper(),
        "interval_weeks": s.interval_weeks,
        "target": s.target_trough_g_per_l,
        "dose_g": s.dose_g,
        "dose_g_per_kg": None if s.dose_g is None or weight is None else s.dose_g / weight.kg,
        "dispensed_g": dispensed,
        "vials": [] if s.vials is None else [v for v in s.vials.vials if v.count],
        "predicted_trough": None if dispensed is None else s.trough_for(dispensed),
        "note": s.note,
        "baseline": s.baseline_g_per_l,
    }

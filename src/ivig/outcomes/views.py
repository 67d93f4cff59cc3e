"""A patient's outcomes page and the forms that record them. Views route; actions write."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ivig import clock
from ivig.accounts.access import requires
from ivig.accounts.requests import SignedInRequest
from ivig.accounts.roles import RECORD_OUTCOMES, RUN_DOSE_TRIAL, VIEW_OUTCOMES
from ivig.lib.refusals import refusals_to
from ivig.outcomes import actions
from ivig.outcomes.charts import CLASS_LABELS, platelet_chart
from ivig.outcomes.forms import (
    INFECTION_SUGGESTIONS,
    BleedingForm,
    DisabilityForm,
    InfectionForm,
    ReviewForm,
    TrialResultForm,
    TrialStartForm,
)
from ivig.outcomes.models import DisabilityScore, DoseTrial, Infection, OutcomeReview
from ivig.outcomes.summary import given_orders, indication_of, infection_summary, itp_summary, reviews_due
from ivig.patients.form_views import View, Write, patient_form_view, writes_with
from ivig.patients.models import Patient


def _trial_initial(patient: Patient) -> dict[str, Any]:
    """Start from the latest dispensed order: its indication, dose per infusion and interval."""
    orders = given_orders(patient)
    today = clock.localdate()
    if not orders:
        return {"started_on": today}
    last = orders[-1]
    plan = last.verified_plan or {}
    grams = sum(float(day.get("dispensed_g") or 0) for day in plan.get("days", []))
    return {
        "indication": indication_of(last.regimen),
        "current_dose_g": round(grams, 2) or None,
        "current_interval_weeks": last.repeat_interval_weeks,
        "started_on": today,
    }


def _overview(
    request: HttpRequest, patient: Patient, bound: dict[str, forms.Form] | None = None
) -> HttpResponse:
    today = clock.localdate()
    orders = given_orders(patient)
    indications = sorted({indication_of(o.regimen) for o in orders})
    itp = itp_summary(patient, orders)
    trials = list(
        DoseTrial.objects.filter(patient=patient).select_related("started_by", "decided_by", "order")
    )
    can_record = request.user.has_perm(RECORD_OUTCOMES)
    can_trial = request.user.has_perm(RUN_DOSE_TRIAL)
    blank: dict[str, forms.Form] = {}
    if can_record:
        blank = {
            "infection_form": InfectionForm(initial={"onset": today}),
            "bleeding_form": BleedingForm(initial={"started_on": today}),
            "disability_form": DisabilityForm(
                initial={"assessed_on": today, "indication": "mmn" if "mmn" in indications else "cidp"}
            ),
            "review_form": ReviewForm(indications=indications, initial={"reviewed_on": today}),
        }
    if can_trial:
        blank["trial_form"] = TrialStartForm(initial=_trial_initial(patient))
        blank["result_form"] = TrialResultForm(initial={"result_on": today})
    scores = list(DisabilityScore.objects.filter(patient=patient).select_related("recorded_by"))
    context = {
        "patient": patient,
        "today": today,
        "infections": Infection.objects.filter(patient=patient).select_related("recorded_by"),
        "rates": infection_summary(patient, orders, today),
        "itp": itp,
        "itp_chart": platelet_chart(itp) if itp else None,
        "itp_status": CLASS_LABELS[itp.assessment.status.value] if itp and itp.assessment else "",
        "scores": scores,
        "score_changes": _score_changes(scores),
        "reviews": OutcomeReview.objects.filter(patient=patient).select_related("recorded_by"),
        "reviews_due": reviews_due(patient, orders, today),
        "trials": trials,
        "open_trial_ids": [t.pk for t in trials if t.is_open],
        "infection_suggestions": INFECTION_SUGGESTIONS,
        "can_record": can_record,
        "can_trial": can_trial,
        **blank,
        **(bound or {}),
    }
    return render(request, "outcomes/patient.html", context, status=400 if bound else 200)


def _score_changes(scores: list[Any]) -> list[dict[str, Any]]:
    """Per indication: first and latest scores and the INCAT change (positive: more disability)."""
    out = []
    for indication in sorted({s.indication for s in scores}):
        own = [s for s in scores if s.indication == indication]  # newest first
        first, latest = own[-1], own[0]
        incat = [s for s in own if s.incat_total is not None]
        change = incat[0].incat_total - incat[-1].incat_total if len(incat) >= 2 else None
        out.append(
            {
                "label": latest.get_indication_display(),
                "first": first,
                "latest": latest,
                "incat_change": change,
            }
        )
    return out


@requires(VIEW_OUTCOMES)
def patient_outcomes(request: HttpRequest, pk: int) -> HttpResponse:
    return _overview(request, Patient.objects.visible_or_404(request.user, pk))


def _form_view(
    permission: str, form_class: Callable[..., forms.Form], name: str, write: Write, done: str
) -> View:
    """One of the outcome page's forms: back to the page, or the page again with the form (`name`)."""
    return patient_form_view(
        permission,
        form_class,
        write,
        done,
        "outcomes:patient",
        lambda request, patient, form: _overview(request, patient, {name: form}),
    )


def _write_review(request: SignedInRequest, patient: Patient, data: dict[str, Any]) -> Any:
    itp_response = ""
    if data["indication"] == "itp":
        itp = itp_summary(patient, given_orders(patient))
        itp_response = itp.assessment.status.value if itp and itp.assessment else ""
    return actions.record_review(by=request.user, patient=patient, itp_response=itp_response, **data)


def _write_trial(request: SignedInRequest, patient: Patient, data: dict[str, Any]) -> Any:
    orders = [o for o in given_orders(patient) if indication_of(o.regimen) == data["indication"]]
    return actions.start_dose_trial(
        by=request.user, patient=patient, order=orders[-1] if orders else None, **data
    )


infection_add = _form_view(
    RECORD_OUTCOMES,
    InfectionForm,
    "infection_form",
    writes_with(actions.record_infection),
    "Infection recorded.",
)
bleeding_add = _form_view(
    RECORD_OUTCOMES,
    BleedingForm,
    "bleeding_form",
    writes_with(actions.record_bleeding),
    "Bleeding recorded.",
)
disability_add = _form_view(
    RECORD_OUTCOMES,
    DisabilityForm,
    "disability_form",
    writes_with(actions.record_disability_score),
    "Disability score recorded.",
)
review_add = _form_view(RECORD_OUTCOMES, ReviewForm, "review_form", _write_review, "Review recorded.")
trial_start = _form_view(RUN_DOSE_TRIAL, TrialStartForm, "trial_form", _write_trial, "Dose trial started.")


@requires(RUN_DOSE_TRIAL)
@require_POST
def trial_result(request: SignedInRequest, pk: int, trial_pk: int) -> HttpResponse:
    patient = Patient.objects.visible_or_404(request.user, pk)
    trial = get_object_or_404(DoseTrial, pk=trial_pk, patient=patient)
    form = TrialResultForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        with refusals_to(form):
            actions.conclude_dose_trial(
                by=request.user,
                trial=trial,
                result=data["result"],
                result_on=data["result_on"],
                notes=data["notes"],
            )
            messages.success(request, "Trial outcome recorded.")
            return redirect("outcomes:patient", pk=patient.pk)
    return _overview(request, patient, {"result_form": form})

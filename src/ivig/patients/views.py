"""Patient list, search, chart, create and edit. Views only route: the writes live in actions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ivig import clock
from ivig.accounts.access import requires
from ivig.accounts.requests import SignedInRequest
from ivig.accounts.roles import (
    ADD_PATIENT,
    CHANGE_PATIENT,
    PRESCRIBE,
    VIEW_ORDER,
    VIEW_OWN_RECORD,
    VIEW_PATIENT,
)
from ivig.audit.once import one_time_form
from ivig.audit.reads import record_read
from ivig.lib.paging import FilteredListView
from ivig.lib.refusals import refusals_to
from ivig.patients import actions
from ivig.patients.filters import PatientFilter
from ivig.patients.form_views import View, Write, patient_form_view, writes_with
from ivig.patients.forms import AllergyForm, MeasurementForm, PatientForm
from ivig.patients.matching import possible_duplicates
from ivig.patients.models import Allergy, Patient

DUPLICATE_QUESTION = (
    "This may be a patient who is already registered (same date of birth, a very similar name). "
    "Open the record below if it is the same person; register a new record only if it is someone else."
)


@requires(VIEW_PATIENT)
class PatientListView(FilteredListView):
    """Every patient, or those the search finds; htmx asks for the results alone as the user types."""

    queryset = Patient.objects.select_related("care_site")
    filterset_class = PatientFilter
    paginate_by = 25
    strict = False  # a search the form refuses (too long) lists every patient, as an empty one does

    def get_template_names(self) -> list[str]:
        return ["patients/_results.html" if self.request.htmx else "patients/list.html"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        valid = self.filterset.is_bound and self.filterset.is_valid()
        context["query"] = self.filterset.form.cleaned_data["q"] if valid else ""
        context["today"] = clock.localdate()
        return context


@requires(VIEW_PATIENT, VIEW_OWN_RECORD)
def patient_detail(request: HttpRequest, pk: int) -> HttpResponse:
    patient = Patient.objects.visible_or_404(request.user, pk)
    record_read(
        action="patient.chart_read",
        by=request.user,  # type: ignore[arg-type]
        request=request,
        target_type="patients.Patient",
        target_id=str(patient.pk),
        patients=[(patient.pk, patient.mrn)],
        summary=f"Chart of MRN {patient.mrn} opened",
    )
    return render(
        request,
        "patients/detail.html",
        {
            "patient": patient,
            "today": clock.localdate(),
            "measurements": patient.measurements.select_related("recorded_by")[:20],
            "allergies": patient.allergies.all(),
            "weight": patient.latest_weight(),
            "height": patient.latest_height(),
            "can_edit": request.user.has_perm(CHANGE_PATIENT),
            "measurement_form": MeasurementForm(initial={"measured_on": clock.localdate()}),
            "allergy_form": AllergyForm(),
            "orders": patient.orders.all()[:20] if request.user.has_perm(VIEW_ORDER) else None,
            "can_prescribe": request.user.has_perm(PRESCRIBE),
        },
    )


@requires(VIEW_OWN_RECORD)
def my_record(request: HttpRequest) -> HttpResponse:
    patients = list(Patient.objects.visible_to(request.user)[:2])
    if not patients:
        return render(request, "patients/no_record.html", status=404)
    if len(patients) > 1:  # a parent with several children chooses on the portal's home page
        return redirect("portal:home")
    return redirect("patients:detail", pk=patients[0].pk)


@requires(ADD_PATIENT)
@one_time_form
def patient_create(request: SignedInRequest) -> HttpResponse:
    form = PatientForm(request.POST or None)
    matches: list[Patient] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        matches = possible_duplicates(
            given_name=data["given_name"],
            family_name=data["family_name"],
            date_of_birth=data["date_of_birth"],
            mrn=data["mrn"],
        )
        if not matches or request.POST.get("confirm_new_person") == "on":
            with refusals_to(form) as outcome:  # the MRN taken by a registration a moment before
                patient = actions.create_patient(
                    by=request.user, **form.action_arguments(), confirmed_not=[p.mrn for p in matches]
                )
                messages.success(request, f"{patient.full_name} registered.")
                return redirect("patients:detail", pk=patient.pk)
            context = {"form": form, "title": "New patient", "matches": matches}
            return render(request, "patients/form.html", context, status=outcome.status)
        form.add_error(None, DUPLICATE_QUESTION)
    context = {"form": form, "title": "New patient", "matches": matches}
    return render(request, "patients/form.html", context, status=_status(request, form))


@requires(CHANGE_PATIENT)
def patient_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    patient = Patient.objects.visible_or_404(request.user, pk)
    weight, height = patient.latest_weight(), patient.latest_height()
    initial = {"weight": weight.weight_kg if weight else None, "height": height.height_cm if height else None}
    # A separate instance: validation writes into it, and a rejected edit must not show in the page heading.
    form = PatientForm(request.POST or None, instance=Patient.objects.get(pk=pk), initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.update_patient(by=request.user, patient=patient, **form.action_arguments())
        messages.success(request, "Patient details saved.")
        return redirect("patients:detail", pk=patient.pk)
    context = {"form": form, "title": f"Edit {patient.full_name}", "patient": patient}
    return render(request, "patients/form.html", context, status=_status(request, form))


def _chart_form(
    form_class: Callable[..., forms.BaseForm], write: Write, done: str, page: tuple[str, str, str]
) -> View:
    """One of the chart's small forms: back to the chart, or the form again with its errors on a page of its
    own (`page`: its heading, the URL name it posts to, its button)."""
    return patient_form_view(
        CHANGE_PATIENT,
        form_class,
        write,
        done,
        "patients:detail",
        lambda request, patient, form: _subform(request, patient, form, *page),
    )


def _write_measurement(request: SignedInRequest, patient: Patient, data: dict[str, Any]) -> None:
    at = datetime.combine(data["measured_on"], time(12, 0), timezone.get_current_timezone())
    sizes = {name: data[name] for name in ("weight_kg", "height_cm")}
    actions.record_measurement(by=request.user, patient=patient, measured_at=at, **sizes)


measurement_add = _chart_form(
    MeasurementForm,
    _write_measurement,
    "Measurement recorded.",
    ("Record a measurement", "patients:measurement_add", "Save measurement"),
)
allergy_add = _chart_form(
    AllergyForm,
    writes_with(actions.add_allergy),
    "Allergy recorded.",
    ("Add an allergy", "patients:allergy_add", "Save allergy"),
)


@requires(CHANGE_PATIENT)
@require_POST
def allergy_deactivate(request: SignedInRequest, pk: int, allergy_pk: int) -> HttpResponse:
    patient = Patient.objects.visible_or_404(request.user, pk)
    allergy = get_object_or_404(Allergy, pk=allergy_pk, patient=patient, active=True)
    actions.deactivate_allergy(by=request.user, allergy=allergy)
    messages.success(request, f"{allergy.substance} marked as no longer active.")
    return redirect("patients:detail", pk=patient.pk)


def _subform(
    request: HttpRequest, patient: Patient, form: Any, heading: str, action: str, button: str
) -> HttpResponse:
    """Show a chart sub-form again with its errors, on a page of its own."""
    context = {"form": form, "patient": patient, "heading": heading, "action": action, "button": button}
    return render(request, "patients/subform.html", context, status=400)


def _status(request: HttpRequest, form: PatientForm) -> int:
    return 400 if request.method == "POST" and form.errors else 200

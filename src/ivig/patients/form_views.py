"""Views for the small forms about one patient (a measurement, an allergy, an infection, a review...): one
path from the posted form to the action and back to the patient's page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from ivig.accounts.access import requires
from ivig.accounts.requests import SignedInRequest
from ivig.lib.refusals import refusals_to
from ivig.patients.models import Patient

# Write the valid form's cleaned data for the patient (through an action).
Write = Callable[[SignedInRequest, Patient, dict[str, Any]], Any]
# Show the form again with its errors (or the action's refusal).
Again = Callable[[SignedInRequest, Patient, Any], HttpResponse]
View = Callable[[SignedInRequest, int], HttpResponse]


def patient_form_view(
    permission: str,
    form_class: Callable[..., forms.BaseForm],
    write: Write,
    done: str,
    back: str,
    again: Again,
) -> View:
    """A POST-only view for a patient's form: write, say `done` and go to the URL named `back`; or `again`."""

    @requires(permission)
    @require_POST
    def view(request: SignedInRequest, pk: int) -> HttpResponse:
        patient = Patient.objects.visible_or_404(request.user, pk)
        form = form_class(request.POST)
        if form.is_valid():
            with refusals_to(form):
                write(request, patient, form.cleaned_data)
                messages.success(request, done)
                return redirect(back, pk=patient.pk)
        return again(request, patient, form)

    return view


def writes_with(action: Callable[..., Any]) -> Write:
    """Write by an action that takes the form's fields as they are."""
    return lambda request, patient, data: action(by=request.user, patient=patient, **data)

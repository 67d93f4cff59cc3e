"""Lab results pages: a patient's results and trends with typed entry, and the CSV import."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from ivig import clock
from ivig.accounts.access import requires
from ivig.accounts.requests import SignedInRequest
from ivig.accounts.roles import ADD_LAB, VIEW_LABS
from ivig.clinical.labs import LAB_UNITS, LabKind
from ivig.lib.charts import TimeChart, day_number
from ivig.patients import lab_actions
from ivig.patients.forms_labs import LabEntryForm, LabImportForm
from ivig.patients.lab_import import check_lab_csv
from ivig.patients.models import LabResult, Patient


def lab_trends(patient: Patient) -> list[dict[str, Any]]:
    """Per kind: its results (newest first), stored unit, LOINC where known, and a chart from 2 results."""
    by_kind: dict[str, list[LabResult]] = {kind: [] for kind in LabResult.Kind.values}
    for result in patient.lab_results.select_related("recorded_by").order_by("-taken_on", "-id"):
        by_kind.setdefault(result.kind, []).append(result)
    trends = []
    for kind, label in LabResult.Kind.choices:
        results = by_kind[kind]
        units = LAB_UNITS[LabKind(kind)]
        chart = None
        if len(results) >= 2:
            oldest = list(reversed(results))
            values = [float(r.value) for r in oldest]
            plot = TimeChart(
                start=oldest[0].taken_on,
                end=oldest[-1].taken_on,
                y_max=max(values) * 1.1,
                y_label=units.stored,
            )
            plot.line([day_number(r.taken_on) for r in oldest], values, "chart-line")
            plot.points(
                (
                    r.taken_on,
                    float(r.value),
                    "chart-point",
                    f"{r.taken_on:%Y-%m-%d}: {r.value} {units.stored}",
                )
                for r in oldest
            )
            name = label.split(" (")[0]
            chart = plot.render(
                f"{name} over time",
                f"{len(results)} results from {oldest[0].taken_on:%Y-%m-%d} "
                f"to {oldest[-1].taken_on:%Y-%m-%d}",
                f"chart-{kind}",
            )
        trends.append(
            {
                "kind": kind,
                "label": label.split(" (")[0],
                "unit": units.stored,
                "loinc": units.loinc,
                "results": results,
                "latest": results[0] if results else None,
                "chart": chart,
            }
        )
    return trends


@requires(VIEW_LABS)
def patient_labs(request: SignedInRequest, pk: int) -> HttpResponse:
    patient = Patient.objects.visible_or_404(request.user, pk)
    can_add = request.user.has_perm(ADD_LAB)
    form = None
    status = 200
    if can_add:
        form = LabEntryForm(
            request.POST if request.method == "POST" else None,
            patient=patient,
            initial={"taken_on": clock.localdate()},
        )
        if request.method == "POST":
            if form.is_valid():
                stored = lab_actions.record_lab_results(by=request.user, entries=form.entries)
                kept = len(form.entries) - len(stored)
                note = f" ({kept} already on the chart)" if kept else ""
                messages.success(request, f"{len(stored)} result(s) recorded{note}.")
                return redirect("patients:labs", pk=patient.pk)
            status = 400
    elif request.method == "POST":
        return HttpResponse("You may view lab results but not enter them.", status=403)
    context = {"patient": patient, "trends": lab_trends(patient), "form": form}
    return render(request, "patients/labs.html", context, status=status)


@requires(ADD_LAB)
def lab_import(request: SignedInRequest) -> HttpResponse:
    form = LabImportForm(request.POST if request.method == "POST" else None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    if request.method != "POST":
        return render(request, "patients/lab_import.html", context)
    if not form.is_valid():
        return render(request, "patients/lab_import.html", context, status=400)
    checked = check_lab_csv(form.cleaned_data["csv_text"], today=clock.localdate())
    context |= {
        "checked": checked,
        "csv_text": form.cleaned_data["csv_text"],
        "source": form.cleaned_data["source"],
    }
    if not checked.ok:
        return render(request, "patients/lab_import.html", context, status=400)
    if request.POST.get("confirm") != "yes":
        return render(request, "patients/lab_import.html", context)
    outcome = lab_actions.import_lab_results(
        by=request.user, entries=[row.entry for row in checked.rows], source=form.cleaned_data["source"]
    )
    messages.success(
        request,
        f"Imported {outcome.created} lab result(s); "
        f"{outcome.duplicates} were already recorded and left as they were.",
    )
    return redirect("patients:lab_import")

"""The adverse-event register for Quality: the worklist, a report with its source, review and decisions."""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ivig import clock
from ivig.accounts.access import requires
from ivig.accounts.requests import SignedInRequest
from ivig.accounts.roles import REVIEW_ADVERSE_EVENTS, VIEW_ADVERSE_EVENTS
from ivig.audit.reads import record_read
from ivig.hemovigilance import actions, medwatch, register
from ivig.hemovigilance.actions import ReviewError
from ivig.hemovigilance.ae_forms import CloseForm, ReportedForm, ReviewForm
from ivig.hemovigilance.filters import AdverseEventFilter
from ivig.hemovigilance.models import AdverseEventReport
from ivig.lib.paging import FilteredListView, filter_errors
from ivig.lib.refusals import refusals_to


@requires(VIEW_ADVERSE_EVENTS)
class WorklistView(FilteredListView):
    """The register, filtered and paged; filters that do not validate show their errors with a 400."""

    filterset_class = AdverseEventFilter
    paginate_by = 50
    invalid_status = 400
    template_name = "hemovigilance/ae_worklist.html"


def sources(report: AdverseEventReport) -> list[tuple[str, str]]:
    """Each place the reaction was reported, as (label, url): the flowsheet, the diary, or both."""
    found = []
    if report.flowsheet_event is not None:
        found.append(
            ("Infusion record", reverse("infusions:record", args=[report.flowsheet_event.session_id]))
        )
    if report.diary_reaction is not None:
        found.append(
            ("Follow-up diary", reverse("followup:diary", args=[report.diary_reaction.follow_up_id]))
        )
    return found


def _load(pk: int) -> AdverseEventReport:
    return get_object_or_404(register.with_related(AdverseEventReport.objects.all()), pk=pk)


def _detail(
    request: HttpRequest,
    report: AdverseEventReport,
    *,
    status: int = 200,
    error: str = "",
    reported_form: ReportedForm | None = None,
    close_form: CloseForm | None = None,
) -> HttpResponse:
    context = {
        "report": report,
        "sources": sources(report),
        "can_review": request.user.has_perm(REVIEW_ADVERSE_EVENTS),
        "error": error,
        "reported_form": reported_form or ReportedForm(),
        "close_form": close_form or CloseForm(),
    }
    return render(request, "hemovigilance/ae_detail.html", context, status=status)


@requires(VIEW_ADVERSE_EVENTS)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _load(pk))


@requires(REVIEW_ADVERSE_EVENTS)
def edit(request: SignedInRequest, pk: int) -> HttpResponse:
    report = _load(pk)
    if request.method == "POST":
        form = ReviewForm(request.POST, instance=AdverseEventReport.objects.get(pk=pk))
    else:
        form = ReviewForm(instance=report)
    with refusals_to(form) as outcome:
        if form.is_bound and form.is_valid():
            actions.update_report(
                by=request.user,
                report=report,
                expected_version=form.cleaned_data["version"],
                changes=form.changes(),
            )
            return redirect("hemovigilance:ae_detail", pk=pk)
    # A version clash answers 409, any other refusal or invalid entry 422.
    context = {"report": report, "form": form}
    return render(request, "hemovigilance/ae_edit.html", context, status=outcome.status)


def _decide(request: SignedInRequest, pk: int, step: str) -> HttpResponse:
    report = _load(pk)
    reported_form = close_form = None
    bound: forms.Form | None = None
    try:
        if step == "start":
            actions.start_review(by=request.user, report=report)
        elif step == "complete":
            actions.complete_review(by=request.user, report=report)
        elif step == "reported":
            bound = reported_form = ReportedForm(request.POST)
            if reported_form.is_valid():
                actions.mark_reported(
                    by=request.user,
                    report=report,
                    reported_on=reported_form.cleaned_data["reported_on"],
                    reference=reported_form.cleaned_data["reference"],
                )
        else:
            bound = close_form = CloseForm(request.POST)
            if close_form.is_valid():
                actions.close_report(by=request.user, report=report, reason=close_form.cleaned_data["reason"])
    except ReviewError as refusal:
        return _detail(
            request,
            report,
            status=422,
            error=str(refusal),
            reported_form=reported_form,
            close_form=close_form,
        )
    if bound is not None and bound.errors:
        return _detail(request, report, status=422, reported_form=reported_form, close_form=close_form)
    return redirect("hemovigilance:ae_detail", pk=pk)


def _decision_view(step: str) -> Callable[[SignedInRequest, int], HttpResponse]:
    """The view that posts one review step (start, complete, reported, close) of a report."""

    @requires(REVIEW_ADVERSE_EVENTS)
    @require_POST
    def view(request: SignedInRequest, pk: int) -> HttpResponse:
        return _decide(request, pk, step)

    return view


start = _decision_view("start")
complete = _decision_view("complete")
reported = _decision_view("reported")
close = _decision_view("close")


def export_response(request: HttpRequest, content_type: str, suffix: str) -> tuple[Any, HttpResponse]:
    """The reports the filters select and an attachment response to write them to; None and a 400 when the
    filters are invalid. The register's exports (MedWatch CSV here, FHIR JSON in ivig.fhir) share it."""
    filters = AdverseEventFilter(request.GET or None)
    if filters.is_bound and not filters.is_valid():
        errors = filter_errors(filters)
        return None, HttpResponse(f"Check the filters: {errors}", status=400, content_type="text/plain")
    response = HttpResponse(content_type=content_type)
    stamp = clock.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="adverse-events-{stamp}.{suffix}"'
    return filters.qs, response


@requires(VIEW_ADVERSE_EVENTS)
def medwatch_csv(request: HttpRequest) -> HttpResponse:
    """The filtered reports, one row each, with the fields of an FDA MedWatch 3500 report."""
    reports, response = export_response(request, "text/csv; charset=utf-8", "csv")
    if reports is not None:
        csv.writer(response).writerows(medwatch.rows(reports))
        exported = list(reports.values_list("pk", "patient_id", "patient__mrn"))
        record_read(
            action="hemovigilance.ae_medwatch_export",
            by=request.user,  # type: ignore[arg-type]
            request=request,
            target_type="hemovigilance.AdverseEventReport",
            patients=[(patient_id, mrn) for _pk, patient_id, mrn in exported],
            summary=f"Adverse-event register exported as MedWatch CSV ({len(exported)} reports)",
            details={"filters": request.GET.urlencode(), "reports": [pk for pk, _id, _mrn in exported]},
        )
    return response

"""Report pages (chart, the same numbers in a table) and their CSV downloads, for a chosen date range."""

from __future__ import annotations

import csv

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from ivig import clock
from ivig.accounts.access import requires
from ivig.accounts.roles import VIEW_REPORTS
from ivig.lib.csvcells import value_cell
from ivig.reports.catalog import BY_SLUG, REPORTS, ReportSpec
from ivig.reports.period import period_from


def _spec(slug: str) -> ReportSpec:
    spec = BY_SLUG.get(slug)
    if spec is None:
        raise Http404("No such report.")
    return spec


@requires(VIEW_REPORTS)
def index(request: HttpRequest) -> HttpResponse:
    form, period = period_from(request.GET, clock.localdate())
    return render(
        request,
        "reports/index.html",
        {"reports": REPORTS, "form": form, "period": period},
        status=400 if form.errors else 200,
    )


@requires(VIEW_REPORTS)
def report(request: HttpRequest, slug: str) -> HttpResponse:
    spec = _spec(slug)
    today = clock.localdate()
    form, period = period_from(request.GET, today)
    context = {"spec": spec, "form": form, "period": period, "reports": REPORTS, "today": today}
    if period is None:
        return render(request, "reports/report.html", context, status=400)
    context["result"] = spec.build(period, today)
    return render(request, "reports/report.html", context)


@requires(VIEW_REPORTS)
def report_csv(request: HttpRequest, slug: str) -> HttpResponse:
    spec = _spec(slug)
    today = clock.localdate()
    form, period = period_from(request.GET, today)
    if period is None:
        errors = "; ".join(str(error) for errors in form.errors.values() for error in errors)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    table = spec.build(period, today).table
    name = (
        f"{spec.slug}-{today:%Y-%m-%d}"
        if not spec.uses_period
        else f"{spec.slug}-{period.start}-{period.end}"
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = csv.writer(response)
    writer.writerow(table.columns)
    for row in [*table.rows, *([table.total] if table.total is not None else [])]:
        writer.writerow([value_cell(cell) for cell in row])
    return response

"""The Supply page (Pharmacist, Quality, Admin): days of stock, the phase, patients affected, the reports."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ivig import clock
from ivig.accounts.access import requires
from ivig.accounts.requests import SignedInRequest
from ivig.accounts.roles import CHANGE_SITE_SETTINGS, DECLARE_SHORTAGE_PHASE, VIEW_SUPPLY
from ivig.clinical.supply import ALL_PRODUCTS
from ivig.lib.csvcells import value_cell
from ivig.lib.refusals import refusals_to
from ivig.siteconfig.forms_shortage import PhaseForm
from ivig.siteconfig.models import SiteSettings
from ivig.siteconfig.shortage import Phase, ShortagePhaseDeclaration
from ivig.siteconfig.shortage_actions import declare_phase
from ivig.supply import reports
from ivig.supply.outlook import HORIZON_DAYS, days_chart, outlook
from ivig.supply.savings import savings_between
from ivig.supply.worklist import affected_patients

REPORT_DAYS = 365  # the reports cover the last year
WORKLIST_PHASES = (Phase.AMBER.value, Phase.RED.value)


def _period(today: date) -> tuple[date, date]:
    return today - timedelta(days=REPORT_DAYS - 1), today


def _context(request: SignedInRequest, form: PhaseForm | None = None) -> dict[str, Any]:
    today = clock.localdate()
    declarations = list(ShortagePhaseDeclaration.objects.select_related("declared_by")[:50])
    current = declarations[0] if declarations else None
    phase = current.phase if current else Phase.GREEN.value
    view = outlook(today, phase, site=SiteSettings.load().centre_name)
    start, end = _period(today)
    deferrals = reports.deferred_doses(start, end)
    return {
        "today": today,
        "horizon_days": HORIZON_DAYS,
        "phase": phase,
        "phase_label": Phase(phase).label,
        "current": current,
        "declarations": declarations,
        "outlook": view,
        "chart": days_chart(view),
        "backtest": [c for c in view.accuracy.cells if c.product == ALL_PRODUCTS],
        "backtest_mape": list(view.accuracy.mape_by_product().items()) if view.accuracy.cells else [],
        "suggestion": view.suggestion,
        "worklist": affected_patients(phase, today) if phase in WORKLIST_PHASES else None,
        "period": (start, end),
        "by_category": reports.grams_by_category(start, end),
        "savings": savings_between(start, end),
        "deferrals": deferrals,
        "can_declare": request.user.has_perm(DECLARE_SHORTAGE_PHASE),
        "can_edit_rules": request.user.has_perm(CHANGE_SITE_SETTINGS),
        "form": form or PhaseForm(initial={"phase": view.suggestion.suggested or phase}),
    }


@requires(VIEW_SUPPLY)
def supply_page(request: SignedInRequest) -> HttpResponse:
    return render(request, "supply/page.html", _context(request))


@requires(DECLARE_SHORTAGE_PHASE)
@require_POST
def declare(request: SignedInRequest) -> HttpResponse:
    form = PhaseForm(request.POST)
    with refusals_to(form) as outcome:
        if form.is_valid():
            declaration = declare_phase(by=request.user, **form.cleaned_data)
            messages.success(request, f"Shortage phase {declaration.get_phase_display()} declared.")
            return redirect("supply:page")
    return render(request, "supply/page.html", _context(request, form), status=outcome.status)


@requires(VIEW_SUPPLY)
def region_csv(request: SignedInRequest) -> HttpResponse:
    """The site's figures for the region: no patient is named, only totals."""
    today = clock.localdate()
    current = ShortagePhaseDeclaration.current()
    phase = current.phase if current else Phase.GREEN.value
    site = SiteSettings.load().centre_name
    view = outlook(today, phase, site=site)
    start, end = _period(today)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="supply-{today:%Y-%m-%d}.csv"'
    writer = csv.writer(response)
    writer.writerow(["site", "as_of", "section", "item", "grams", "days", "count", "note"])

    def row(
        section: str, item: str, grams: Any = "", days: Any = "", count: Any = "", note: str = ""
    ) -> None:
        values = [site, today.isoformat(), section, item, grams, days, count, note]
        writer.writerow([value_cell(v) for v in values])

    declared = f"declared {current.declared_at:%Y-%m-%d}: {current.reason}" if current else "never declared"
    row("phase", Phase(phase).label, note=declared)
    for stock in view.rows:
        days = stock.days if stock.days is not None else f">{HORIZON_DAYS}"
        note = f"runs out {stock.runs_out_on}" if stock.runs_out_on else ""
        row("days_of_stock", stock.product, round(stock.supply.on_hand_g, 1), days, note=note)
    for category in reports.grams_by_category(start, end):
        row("grams_by_category", category.label, category.grams, note=f"{start} to {end}")
    savings = savings_between(start, end)
    if savings is None:
        row("grams_saved", "all measures", note="conservation proposals are not installed at this site")
    elif not savings:
        row("grams_saved", "all measures", 0, count=0, note=f"no proposal accepted from {start} to {end}")
    else:
        for saving in savings:
            row("grams_saved", saving.measure, round(saving.grams_saved, 1), count=saving.accepted)
    for outcome_text, count in sorted(reports.deferral_summary(reports.deferred_doses(start, end)).items()):
        row("doses_deferred", outcome_text, count=count, note=f"{start} to {end}")
    return response

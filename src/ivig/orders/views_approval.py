"""Deciding on authorisations, and the versioned criteria each indication must meet. Writes are actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from ivig import clock
from ivig.accounts.access import requires
from ivig.accounts.requests import SignedInRequest
from ivig.accounts.roles import APPROVE_ORDER, MANAGE_CRITERIA, VIEW_CRITERIA
from ivig.lib.refusals import refusals_to
from ivig.orders.actions import decide_authorisation
from ivig.orders.criteria_actions import add_criteria_version
from ivig.orders.forms_approval import CriteriaForm, DecisionForm
from ivig.orders.models import INDICATION_CHOICES, IndicationCriteria, TherapyOrder
from ivig.orders.supply_gate import gate_of_order


def _required_labs(order: TherapyOrder) -> list[dict[str, Any]]:
    """Each lab the order's criteria version requires, with the value and date written on the order."""
    criteria = order.criteria
    if criteria is None:
        return []
    labels = criteria.required_lab_labels()
    rows = []
    for kind, label in zip(criteria.required_labs, labels, strict=True):
        entry = (order.labs or {}).get(kind) or {}
        rows.append(
            {"label": label, "value": entry.get("value") or "", "taken_on": entry.get("taken_on") or ""}
        )
    return rows


@requires(APPROVE_ORDER)
def order_decide(request: SignedInRequest, pk: int) -> HttpResponse:
    order = get_object_or_404(TherapyOrder.objects.select_related("patient", "criteria", "prescriber"), pk=pk)
    today = clock.localdate()
    form = DecisionForm(request.POST or None, criteria=order.criteria, today=today)
    own_order = order.prescriber_id == request.user.pk
    with refusals_to(form) as outcome:
        if form.is_bound and form.is_valid():
            decide_authorisation(
                by=request.user,
                order=order,
                approved=form.approved,
                reason=form.cleaned_data["reason"],
                valid_until=form.cleaned_data["valid_until"],
                today=today,
            )
            verdict = "approved" if form.approved else "refused"
            messages.success(request, f"{order.reference}: authorisation {verdict}.")
            return redirect("orders:detail", pk=order.pk)
    context = {
        "order": order,
        "form": form,
        "today": today,
        "own_order": own_order,
        "awaiting": order.status == TherapyOrder.Status.AWAITING_APPROVAL,
        "required_labs": _required_labs(order),
        "decisions": order.authorisations.select_related("decided_by"),
        "plan": order.signed_plan or {},
        "supply_gate": gate_of_order(order),
    }
    return render(request, "orders/decide.html", context, status=outcome.status)


@requires(VIEW_CRITERIA)
def criteria_list(request: HttpRequest) -> HttpResponse:
    today = clock.localdate()
    versions: dict[str, list[IndicationCriteria]] = {code: [] for code, _ in INDICATION_CHOICES}
    for criteria in IndicationCriteria.objects.select_related("created_by").order_by(
        "indication", "-version"
    ):
        versions.setdefault(criteria.indication, []).append(criteria)
    rows = []
    for code, label in INDICATION_CHOICES:
        history = versions.get(code, [])
        current = next((c for c in history if c.effective_from <= today), None)
        rows.append(
            {
                "code": code,
                "label": label,
                "current": current,
                "upcoming": [c for c in history if c.effective_from > today],
                "history": history,
            }
        )
    return render(request, "orders/criteria_list.html", {"rows": rows, "today": today})


@requires(MANAGE_CRITERIA)
def criteria_new(request: SignedInRequest, indication: str) -> HttpResponse:
    labels = dict(INDICATION_CHOICES)
    if indication not in labels:
        raise Http404("No such indication")
    today = clock.localdate()
    latest = IndicationCriteria.objects.filter(indication=indication).order_by("-version").first()
    initial: dict[str, Any] = {"effective_from": max(today, latest.effective_from) if latest else today}
    if latest is not None:
        initial |= {
            "required_labs": list(latest.required_labs),
            "baseline_max_age_days": latest.baseline_max_age_days,
            "review_interval_days": latest.review_interval_days,
            "approval_required": latest.approval_required,
            "approval_days": latest.approval_days,
        }
    form = CriteriaForm(request.POST or None, initial=initial, today=today, latest=latest)
    with refusals_to(form) as outcome:
        if form.is_bound and form.is_valid():
            criteria = add_criteria_version(
                by=request.user, indication=indication, today=today, **form.cleaned_data
            )
            messages.success(request, f"{criteria} saved, effective from {criteria.effective_from:%Y-%m-%d}.")
            return redirect("orders:criteria")
    context = {"form": form, "indication_label": labels[indication], "latest": latest}
    return render(request, "orders/criteria_form.html", context, status=outcome.status)

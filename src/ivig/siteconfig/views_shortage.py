"""The shortage settings page: each indication's priority category and the phase rules (Admin edits them)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ivig.accounts.access import requires
from ivig.accounts.requests import SignedInRequest
from ivig.accounts.roles import CHANGE_SITE_SETTINGS, VIEW_SUPPLY
from ivig.lib.refusals import refusals_to
from ivig.siteconfig.forms_shortage import RULE_LABELS, CategoryForm, PolicyForm
from ivig.siteconfig.shortage import INDICATION_LABELS, PriorityCategoryAssignment, ShortagePolicy
from ivig.siteconfig.shortage_actions import assign_category, update_policy
from ivig.siteconfig.shortage_defaults import RULE_CATEGORIES


def _page(
    request: SignedInRequest,
    category_form: CategoryForm | None = None,
    policy_form: PolicyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    policy = ShortagePolicy.load()
    history = list(PriorityCategoryAssignment.objects.select_related("assigned_by"))
    current: dict[str, PriorityCategoryAssignment] = {}
    for row in history:  # newest first within each indication
        current.setdefault(row.indication, row)
    rows = [{"label": label, "current": current.get(code)} for code, label in INDICATION_LABELS.items()]
    context = {
        "rows": rows,
        "history": history,
        "policy": policy,
        "rule_headers": [RULE_LABELS[c] for c in RULE_CATEGORIES],
        "can_edit": request.user.has_perm(CHANGE_SITE_SETTINGS),
        "category_form": category_form or CategoryForm(),
        "policy_form": policy_form or PolicyForm(policy=policy),
    }
    return render(request, "siteconfig/shortage.html", context, status=status)


@requires(VIEW_SUPPLY, CHANGE_SITE_SETTINGS)
def shortage_settings(request: SignedInRequest) -> HttpResponse:
    return _page(request)


@requires(CHANGE_SITE_SETTINGS)
@require_POST
def shortage_category(request: SignedInRequest) -> HttpResponse:
    form = CategoryForm(request.POST)
    with refusals_to(form) as outcome:
        if form.is_valid():
            assignment = assign_category(by=request.user, **form.cleaned_data)
            messages.success(request, f"{assignment.get_indication_display()}: category saved.")
            return redirect("siteconfig:shortage")
    return _page(request, category_form=form, status=outcome.status)


@requires(CHANGE_SITE_SETTINGS)
@require_POST
def shortage_policy(request: SignedInRequest) -> HttpResponse:
    form = PolicyForm(request.POST, policy=ShortagePolicy.load())
    with refusals_to(form) as outcome:
        if form.is_valid():
            data = form.cleaned_data
            update_policy(
                by=request.user,
                rules=form.rules(),
                advisory_below_days=data["advisory_below_days"],
                amber_below_days=data["amber_below_days"],
                red_below_days=data["red_below_days"],
                source=data["source"],
            )
            messages.success(request, "Shortage phase rules saved.")
            return redirect("siteconfig:shortage")
    return _page(request, policy_form=form, status=outcome.status)

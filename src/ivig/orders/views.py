"""The prescriber's pages: write an order with a live plan, sign it, change it as a new version, cancel it.

Views only route: the writes live in `actions`, every dosing decision in the clinical core.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ivig import clock
from ivig.accounts.access import requires
from ivig.accounts.requests import SignedInRequest
from ivig.accounts.roles import APPROVE_ORDER, PRESCRIBE, VERIFY_ORDER, VIEW_ORDER
from ivig.audit.once import one_time_form
from ivig.lib.refusals import refusals_to
from ivig.orders import actions, findings
from ivig.orders.actions import OrderError
from ivig.orders.deferrals import latest_deferral
from ivig.orders.forms import OrderForm
from ivig.orders.models import TherapyOrder
from ivig.orders.planning import PlanOutcome, compute_plan, product_name
from ivig.orders.sent_back import latest_send_back
from ivig.orders.supply_gate import gate_for_regimen, gate_of_order
from ivig.patients.models import Patient


def get_order(request: HttpRequest, pk: int) -> TherapyOrder:
    # scope(): no `IN (every patient)` for staff who see everyone; with it PostgreSQL spent 8 ms planning.
    orders = Patient.objects.visible_to(request.user).scope(TherapyOrder.objects.all())
    try:
        return orders.select_related(
            "patient", "prescriber", "verified_by", "dispensed_by", "cancelled_by", "criteria"
        ).get(pk=pk)
    except TherapyOrder.DoesNotExist:
        raise Http404("No such order") from None


def _patient(request: HttpRequest, pk: int) -> Patient:
    return get_object_or_404(Patient.objects.visible_to(request.user), pk=pk)


def _form_page(
    request: HttpRequest, form: OrderForm, patient: Patient, order: TherapyOrder | None, status: int = 200
) -> HttpResponse:
    # A refused signature is a form-wide error: the plan, and the cautions to give reasons for, still show.
    plannable = (form.is_bound and form.is_valid()) or _only_form_wide_errors(form)
    outcome = compute_plan(form.order_input(), clock.localdate()) if plannable else None
    context = {
        "form": form,
        "patient": patient,
        "order": order,
        "overlapping": actions.overlapping_orders(patient, order),
        "supply_gate": gate_for_regimen(_regimen_of(form, order)),
    } | _findings_context(form, outcome, False)
    return render(request, "orders/form.html", context, status=status)


def _regimen_of(form: OrderForm, order: TherapyOrder | None) -> str:
    if form.is_bound:
        return str(form.data.get("regimen") or "")
    return order.regimen if order else str(form.initial.get("regimen") or "")


def _only_form_wide_errors(form: OrderForm) -> bool:
    return hasattr(form, "cleaned_data") and all(name == "__all__" for name in form.errors)


def _findings_context(form: OrderForm, outcome: PlanOutcome | None, oob: bool) -> dict[str, Any]:
    """Stops and cautions by the field they concern, and the counts for the bar by the sign button."""
    plan = None if outcome is None else outcome.plan
    reasons = form.caution_reasons() if form.is_bound else {}
    return {
        "outcome": outcome,
        "slots": findings.by_field(plan, reasons),
        "counts": findings.summary(plan, reasons),
        "oob": oob,
        "slot_names": findings.FIELDS,
        # The reason problems are shown once the prescriber has tried to sign, or typed something.
        "show_problems": form.is_bound and form.data.get("then") == "sign",
    }


def _save(
    request: SignedInRequest, form: OrderForm, patient: Patient, order: TherapyOrder | None
) -> HttpResponse:
    sign = request.POST.get("then") == "sign"
    with refusals_to(form) as outcome:
        # Save and sign together: a refused signature leaves no half-made draft behind. Except a wait for the
        # shortage phase: every other check passed, so the draft and its deferral are kept (issue 20).
        waits: actions.OrderWaits | None = None
        with transaction.atomic():
            saved = actions.save_draft(
                by=request.user, patient=patient, fields=form.draft_fields(), order=order
            )
            if sign:
                acknowledged = bool(form.cleaned_data.get("acknowledge_overlap"))
                try:
                    saved = actions.sign_order(
                        by=request.user, order=saved, overlap_acknowledged=acknowledged
                    )
                except actions.OrderWaits as error:
                    waits = error
        if waits is not None:
            messages.error(request, f"{saved.reference} saved as a draft, not signed. {waits}")
        elif sign:
            messages.success(request, f"{saved.reference} signed: {saved.get_status_display().lower()}.")
        else:
            messages.success(request, f"{saved.reference} saved as a draft.")
        return redirect("orders:detail", pk=saved.pk)
    return _form_page(request, form, patient, order, status=outcome.status)


@requires(PRESCRIBE)
@one_time_form
def order_new(request: SignedInRequest, patient_pk: int) -> HttpResponse:
    patient = _patient(request, patient_pk)
    form = OrderForm(request.POST or None, patient=patient, initial=OrderForm.initial_for(patient))
    if request.method == "POST":
        if form.is_valid():
            return _save(request, form, patient, None)
        return _form_page(request, form, patient, None, status=422)
    return _form_page(request, form, patient, None)


@requires(PRESCRIBE)
@one_time_form
def order_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    order = get_order(request, pk)
    if not order.is_editable():
        messages.error(request, f"{order.reference} is signed: make a new version to change it.")
        return redirect("orders:detail", pk=order.pk)
    initial = OrderForm.initial_for(order.patient, order)
    form = OrderForm(request.POST or None, patient=order.patient, initial=initial, order=order)
    if request.method == "POST":
        if form.is_valid():
            return _save(request, form, order.patient, order)
        return _form_page(request, form, order.patient, order, status=422)
    return _form_page(request, form, order.patient, order)


@requires(PRESCRIBE)
@require_POST
def order_preview(request: HttpRequest) -> HttpResponse:
    """Plan what the form says so far (htmx, on every change)."""
    try:
        patient = _patient(request, int(request.POST.get("patient", "")))
    except ValueError:
        raise Http404("No such patient") from None
    order = None
    if request.POST.get("order", "").isdigit():
        order = get_order(request, int(request.POST["order"]))
    form = OrderForm(request.POST, patient=patient, order=order)
    outcome = compute_plan(form.order_input(), clock.localdate()) if form.is_valid() else None
    context = {"form": form, "supply_gate": gate_for_regimen(_regimen_of(form, order))}
    context |= _findings_context(form, outcome, True)
    return render(request, "orders/_preview.html", context)


@requires(VIEW_ORDER)
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_order(request, pk)
    user = request.user
    versions = TherapyOrder.objects.filter(patient=order.patient, series_id=order.series_id or order.pk)
    root = TherapyOrder.objects.filter(pk=order.series_id or order.pk)
    context: dict[str, Any] = {
        "order": order,
        "patient": order.patient,
        "plan": order.plan,
        "product_name": product_name(order.product_for_plan) if order.product_for_plan else "",
        "versions": (root | versions).order_by("version"),
        "authorisations": order.authorisations.select_related("decided_by"),
        "dispensed": order.dispensed_lots.select_related("lot__product"),
        "can_prescribe": user.has_perm(PRESCRIBE),
        "can_verify": user.has_perm(VERIFY_ORDER) and order.prescriber_id != user.pk,
        "can_approve": user.has_perm(APPROVE_ORDER),
        "revisable": actions.can_revise(order),
        "held": latest_send_back(order),
        "open": order.status in TherapyOrder.OPEN,
        "overlapping": actions.overlapping_orders(order.patient, order) if order.is_editable() else [],
        "supply_gate": gate_of_order(order),
        "deferral": latest_deferral(order),
    }
    return render(request, "orders/detail.html", context)


def _post_action(request: HttpRequest, pk: int, run: Any, done: str) -> HttpResponse:
    order = get_order(request, pk)
    try:
        result = run(order)
    except OrderError as error:
        messages.error(request, str(error))
        return redirect("orders:detail", pk=order.pk)
    messages.success(request, done.format(order=result))
    return redirect("orders:detail", pk=result.pk)


@requires(PRESCRIBE)
@require_POST
@one_time_form
def order_sign(request: SignedInRequest, pk: int) -> HttpResponse:
    return _post_action(
        request,
        pk,
        lambda order: actions.sign_order(
            by=request.user, order=order, overlap_acknowledged=request.POST.get("acknowledge_overlap") == "on"
        ),
        "{order.reference} signed.",
    )


@requires(PRESCRIBE)
@require_POST
@one_time_form
def order_revise(request: SignedInRequest, pk: int) -> HttpResponse:
    order = get_order(request, pk)
    try:
        draft = actions.revise_order(by=request.user, order=order)
    except OrderError as error:
        messages.error(request, str(error))
        return redirect("orders:detail", pk=order.pk)
    messages.success(request, f"{draft.reference} started; {order.reference} stands until you sign it.")
    return redirect("orders:edit", pk=draft.pk)


@requires(PRESCRIBE)
@require_POST
@one_time_form
def order_repeat(request: SignedInRequest, pk: int) -> HttpResponse:
    order = get_order(request, pk)
    draft = actions.repeat_order(by=request.user, order=order)
    messages.success(
        request, f"New order {draft.reference} copied from {order.reference}: check and sign it."
    )
    return redirect("orders:edit", pk=draft.pk)


@requires(PRESCRIBE, VERIFY_ORDER)
@require_POST
def order_cancel(request: SignedInRequest, pk: int) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return _post_action(
        request,
        pk,
        lambda order: actions.cancel_order(by=request.user, order=order, reason=reason),
        "{order.reference} cancelled.",
    )

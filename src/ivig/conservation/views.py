"""Conservation pages: a patient's proposals (generate, accept, decline, propose a switch), the site-wide list
with the grams saved, and the nurses' product-change notices. Views route; actions write."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ivig import clock
from ivig.accounts.access import requires
from ivig.accounts.requests import SignedInRequest
from ivig.accounts.roles import ADMINISTER_INFUSION, PRESCRIBE, PROPOSE_CONSERVATION, VIEW_CONSERVATION
from ivig.audit.once import one_time_form
from ivig.conservation import actions, switching
from ivig.conservation.forms import AcceptForm, DeclineForm, SwitchForm
from ivig.conservation.models import ConservationProposal, Kind, SwitchNotice
from ivig.conservation.review import review
from ivig.conservation.sources import conservation_settings, source_order
from ivig.lib.refusals import refusals_to
from ivig.patients.models import Patient


def _patient(request: HttpRequest, pk: int) -> Patient:
    return get_object_or_404(Patient.objects.visible_to(request.user), pk=pk)


def _proposal(request: HttpRequest, pk: int) -> ConservationProposal:
    visible = Patient.objects.visible_to(request.user)
    return get_object_or_404(
        ConservationProposal.objects.select_related("patient", "source_order", "result_order"),
        pk=pk,
        patient__in=visible,
    )


def _patient_page(
    request: HttpRequest, patient: Patient, switch_form: SwitchForm | None = None, status: int = 200
) -> HttpResponse:
    proposals = list(
        ConservationProposal.objects.filter(patient=patient).select_related(
            "source_order", "result_order", "decided_by"
        )
    )
    drafts = [p for p in proposals if p.status == ConservationProposal.Status.DRAFT]
    order = source_order(patient)
    route = order.route if order else "iv"
    context = {
        "patient": patient,
        "order": order,
        "drafts": drafts,
        "decided": [p for p in proposals if p.status != ConservationProposal.Status.DRAFT],
        "draft_saving_g": sum((p.grams_saved_per_12_weeks for p in drafts), Decimal("0")),
        "can_propose": request.user.has_perm(PROPOSE_CONSERVATION),
        "can_decide": request.user.has_perm(PRESCRIBE),
        "decline_form": DeclineForm(),
        "switch_form": switch_form or SwitchForm(route=route),
    }
    return render(request, "conservation/patient.html", context, status=status)


@requires(VIEW_CONSERVATION)
def patient_proposals(request: HttpRequest, pk: int) -> HttpResponse:
    return _patient_page(request, _patient(request, pk))


@requires(PROPOSE_CONSERVATION)
@require_POST
def generate(request: SignedInRequest, pk: int) -> HttpResponse:
    patient = _patient(request, pk)
    try:
        made = actions.propose_for(patient, by=request.user)
    except actions.ConservationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"{len(made)} new proposal(s)." if made else "No new proposal: none applies."
        )
    return redirect("conservation:patient", pk=patient.pk)


@requires(PROPOSE_CONSERVATION)
@require_POST
def propose_switch(request: SignedInRequest, pk: int) -> HttpResponse:
    patient = _patient(request, pk)
    order = source_order(patient)
    form = SwitchForm(request.POST, route=order.route if order else "iv")
    if form.is_valid():
        with refusals_to(form) as outcome:
            proposal = actions.propose_substitution(
                by=request.user,
                patient=patient,
                product_slug=form.cleaned_data["product_slug"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, "Product switch proposed: a prescriber reviews and accepts it.")
            if request.user.has_perm(PRESCRIBE):
                return redirect("conservation:accept", pk=proposal.pk)
            return redirect("conservation:patient", pk=patient.pk)
        return _patient_page(request, patient, form, status=outcome.status)
    return _patient_page(request, patient, form, status=422)


def _accept_page(
    request: HttpRequest, proposal: ConservationProposal, form: AcceptForm | None, status: int = 200
) -> HttpResponse:
    today = clock.localdate()
    reasons = form.caution_reasons() if form is not None and form.is_bound else {}
    seen = review(proposal, today, reasons)
    if form is None:
        initial: dict[str, Any] = {}
        if seen.needs_review_date:
            # The core's trial review (a site decision named there), unless the criteria review sooner.
            days = conservation_settings().review_after_weeks * 7
            criteria = proposal.source_order.criteria
            if criteria is not None and criteria.review_interval_days:
                days = min(days, criteria.review_interval_days)
            initial["review_on"] = today + timedelta(days=days)
        form = AcceptForm(cautions=seen.cautions, needs_review_date=seen.needs_review_date, initial=initial)
    context = {"proposal": proposal, "patient": proposal.patient, "review": seen, "form": form}
    return render(request, "conservation/accept.html", context, status=status)


@requires(PRESCRIBE)
@one_time_form
def accept(request: SignedInRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    if proposal.status != ConservationProposal.Status.DRAFT:
        messages.error(request, f"This proposal was already {proposal.get_status_display().lower()}.")
        return redirect("conservation:patient", pk=proposal.patient_id)
    if request.method != "POST":
        return _accept_page(request, proposal, None)
    seen = review(proposal, clock.localdate())
    form = AcceptForm(request.POST, cautions=seen.cautions, needs_review_date=seen.needs_review_date)
    if not form.is_valid():
        return _accept_page(request, proposal, form, status=422)
    with refusals_to(form) as outcome:
        done = actions.accept(
            by=request.user,
            proposal=proposal,
            caution_reasons=form.caution_reasons(),
            overlap_acknowledged=bool(form.cleaned_data.get("acknowledge_overlap")),
            review_on=form.cleaned_data.get("review_on"),
        )
        order = done.result_order
        assert order is not None
        messages.success(
            request,
            f"{order.reference} signed ({order.get_status_display().lower()}): the pharmacy verifies it.",
        )
        return redirect("orders:detail", pk=order.pk)
    return _accept_page(request, proposal, form, status=outcome.status)


@requires(PRESCRIBE)
@require_POST
def decline(request: SignedInRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            actions.decline(by=request.user, proposal=proposal, reason=form.cleaned_data["reason"])
        except actions.ConservationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Proposal declined.")
            return redirect("conservation:patient", pk=proposal.patient_id)
    else:
        messages.error(request, "Give the reason for declining, in words (at least a short sentence).")
    response = _patient_page(request, proposal.patient, status=422)
    return response


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _period(request: HttpRequest) -> tuple[date, date]:
    """The period of the grams saved: the last 90 days unless the page asks for another."""
    today = clock.localdate()
    since = _day(request.GET.get("since", "")) or today - timedelta(days=90)
    until = _day(request.GET.get("until", "")) or today
    return since, until


@requires(VIEW_CONSERVATION)
def site_list(request: HttpRequest) -> HttpResponse:
    """The stewardship pharmacist's view: every draft waiting, and the grams the accepted ones save."""
    since, until = _period(request)
    visible = Patient.objects.visible_to(request.user)
    rows = ConservationProposal.objects.filter(patient__in=visible)
    drafts = rows.drafts().select_related("patient", "source_order").order_by("-grams_saved_per_12_weeks")
    by_kind = rows.grams_saved_by_kind(since, until)
    accepted = rows.accepted_between(since, until)
    context = {
        "drafts": drafts[:200],
        "drafts_total": drafts.count(),
        "draft_saving_g": drafts.aggregate(total=Sum("grams_saved_per_12_weeks"))["total"] or Decimal("0"),
        "by_kind": [(label, by_kind[value]) for value, label in Kind.choices],
        "saved_g": rows.grams_saved(since, until),
        "accepted_count": accepted.count(),
        "declined_count": rows.filter(
            status=ConservationProposal.Status.DECLINED,
            decided_at__date__gte=since,
            decided_at__date__lte=until,
        ).count(),
        "since": since,
        "until": until,
    }
    return render(request, "conservation/site.html", context)


@requires(VIEW_CONSERVATION)
def notices(request: HttpRequest) -> HttpResponse:
    visible = Patient.objects.visible_to(request.user)
    rows = SwitchNotice.objects.filter(patient__in=visible).select_related("patient", "order", "seen_by")
    context = {
        "unseen": rows.filter(seen_at__isnull=True),
        "seen": rows.filter(seen_at__isnull=False)[:50],
        "can_mark": request.user.has_perm(ADMINISTER_INFUSION),
    }
    return render(request, "conservation/notices.html", context)


@requires(ADMINISTER_INFUSION)
@require_POST
def notice_seen(request: SignedInRequest, pk: int) -> HttpResponse:
    visible = Patient.objects.visible_to(request.user)
    notice = get_object_or_404(SwitchNotice, pk=pk, patient__in=visible)
    switching.mark_seen(by=request.user, notice=notice)
    return redirect("conservation:notices")

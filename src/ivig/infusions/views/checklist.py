"""Before the infusion: the checklist (autosaved), identifying the patient, and scanning the vials."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ivig import clock
from ivig.accounts.access import requires
from ivig.accounts.requests import SignedInRequest
from ivig.accounts.roles import ADMINISTER_INFUSION
from ivig.audit.once import one_time_form
from ivig.infusions import actions, identity, scanning
from ivig.infusions import forms as f
from ivig.infusions.models import IdentityCheck, InfusionSession, VialScan
from ivig.infusions.views.pages import (
    HardStop,
    get_session,
    keep_conflict,
    post_step,
    posted_version,
    render_flowsheet,
)
from ivig.lib.refusals import refusals_to

Status = InfusionSession.Status


@requires(ADMINISTER_INFUSION)
@require_POST
def checklist_save(request: SignedInRequest, pk: int) -> HttpResponse:
    """Autosave (htmx, on every change) or the Save button; a stale device is told and its entry kept.

    A weight that needs confirming is held back (the rest is saved) and the question is asked instead."""
    session = get_session(request, pk)
    form = f.ChecklistForm(request.POST, auto_id="checklist_%s")
    htmx = bool(request.htmx)  # type: ignore[attr-defined]
    context: dict[str, Any] = {"session": session, "saved": False, "error": ""}
    if not form.is_valid():
        if not htmx:
            return render_flowsheet(request, session, {"checklist": form}, status=422)
        context["error"] = "Not saved: " + " ".join(str(e) for errors in form.errors.values() for e in errors)
        return render(request, "infusions/_autosave.html", context)
    fields = form.fields_to_save(set(request.POST))
    question = ""
    weight = fields.get("weight_today_kg")
    if weight is not None and weight != session.weight_today_kg and not fields["weight_confirmed"]:
        question = actions.weight_question(session, weight)
        if question:
            fields.pop("weight_today_kg"), fields.pop("weight_entered_unit")
    with refusals_to(form) as outcome:
        session = actions.save_checklist(
            by=request.user,
            session=session,
            expected_version=posted_version(form.cleaned_data),
            fields=fields,
        )
    if outcome.error is not None:
        keep_conflict(request, session, outcome.error)
        if not htmx:
            return render_flowsheet(request, session, {"checklist": form}, status=outcome.status)
        context.update(error=str(outcome.error), conflict=outcome.conflict)
        return render(request, "infusions/_autosave.html", context)
    if question:
        held = f"Weight NOT saved: {question}"
        if not htmx:
            form.add_error("weight", held)
            return render_flowsheet(request, session, {"checklist": form}, status=422)
        context.update(session=session, error=held, weight_question=True)
        return render(request, "infusions/_autosave.html", context)
    if not htmx:
        messages.success(request, "Checklist saved.")
        return redirect(reverse("infusions:flowsheet", args=[session.pk]) + "#checklist")
    context.update(session=session, saved=True, at=clock.now())
    return render(request, "infusions/_autosave.html", context)


@requires(ADMINISTER_INFUSION)
@require_POST
def identity_check(request: SignedInRequest, pk: int) -> HttpResponse:
    """The wristband scan or the two identifiers; a mismatch is a hard stop, kept with its reason."""

    def run(session: InfusionSession, by_hand: dict[str, Any]) -> IdentityCheck:
        wristband = by_hand.pop("wristband")
        if wristband.strip():
            check = identity.scan_wristband(by=request.user, session=session, text=wristband)
        else:
            check = identity.check_identifiers(by=request.user, session=session, **by_hand)
        if not check.accepted:
            raise HardStop(check.refusal)
        return check

    def done(check: IdentityCheck) -> str:
        return f"Patient identified ({check.get_entry_display().lower()}): scan the vials next."

    return post_step(request, pk, "identity", f.IdentityForm, run, done, anchor="checklist")


@requires(ADMINISTER_INFUSION)
@require_POST
def checklist_confirm(request: SignedInRequest, pk: int) -> HttpResponse:
    session = get_session(request, pk)
    form = f.VersionedForm(request.POST, auto_id="confirm_%s")
    form.is_valid()
    with refusals_to(form) as outcome:
        session = actions.confirm_checklist(
            by=request.user, session=session, expected_version=posted_version(form.cleaned_data)
        )
    if outcome.error is not None:
        keep_conflict(request, session, outcome.error)
        return render_flowsheet(request, session, {"confirm": form}, status=outcome.status)
    if session.status == Status.SENT_BACK:
        messages.error(
            request, f"Stopped: {session.sent_back_reason}. The order goes back to the prescriber."
        )
    else:
        messages.success(request, "Checklist confirmed: scan the vials, then start.")
    return redirect("infusions:flowsheet", pk=session.pk)


@requires(ADMINISTER_INFUSION)
@require_POST
@one_time_form
def vial_scan(request: SignedInRequest, pk: int) -> HttpResponse:
    def run(session: InfusionSession, typed: dict[str, Any]) -> VialScan:
        scan = scanning.scan_vial(by=request.user, session=session, text=typed.pop("scan"), **typed)
        if not scan.accepted:
            raise HardStop(f"do not use this vial. {scan.refusal}")
        return scan

    return post_step(
        request, pk, "scan", f.ScanForm, run, lambda scan: f"Vial accepted: lot {scan.lot_number}."
    )

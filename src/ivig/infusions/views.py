"""The nurse's pages: today's infusions, starting a session, and the flowsheet with its forms.

Views only route: writes live in actions, pump, scanning and reaction_actions; the rules in the clinical core.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ivig import clock
from ivig.accounts.access import requires
from ivig.accounts.requests import SignedInRequest
from ivig.accounts.roles import ADMINISTER_INFUSION
from ivig.audit.once import one_time_form
from ivig.infusions import actions, identity, pump, reaction_actions, scanning, worklist
from ivig.infusions import forms as f
from ivig.infusions.events import ConflictError, record_conflict
from ivig.infusions.models import InfusionSession, Reaction
from ivig.infusions.state import flowsheet
from ivig.lib.refusals import ActionRefused, refusals_to
from ivig.orders.sent_back import latest_send_back
from ivig.orders.views import get_order
from ivig.patients.models import Patient

Status = InfusionSession.Status


def get_session(request: HttpRequest, pk: int) -> InfusionSession:
    sessions = InfusionSession.objects.filter(patient__in=Patient.objects.visible_to(request.user))
    try:
        return sessions.select_related("order", "patient").get(pk=pk)
    except InfusionSession.DoesNotExist:
        raise Http404("No such infusion session") from None


@requires(ADMINISTER_INFUSION)
def infusion_list(request: HttpRequest) -> HttpResponse:
    today = clock.localdate()
    visible = Patient.objects.visible_to(request.user)
    sessions = worklist.todays_sessions(visible, today)[:100]
    ready = worklist.ready_to_start(visible)[:100]
    ready_rows = [(order, actions.next_day(order)) for order in ready]
    context = {
        "sessions": sessions,
        "ready": [(o, d) for o, d in ready_rows if d is not None],
        "today": today,
    }
    return render(request, "infusions/list.html", context)


@requires(ADMINISTER_INFUSION)
def session_start(request: SignedInRequest, order_pk: int) -> HttpResponse:
    order = get_order(request, order_pk)
    form = f.StartForm(request.POST or None, initial={"setting": InfusionSession.Setting.CENTRE})
    with refusals_to(form) as outcome:
        if request.method == "POST" and form.is_valid():
            session = actions.start_session(
                by=request.user,
                order=order,
                setting=form.cleaned_data["setting"],
                location=form.cleaned_data["location"],
            )
            return redirect("infusions:flowsheet", pk=session.pk)
    day = actions.next_day(order)
    held = latest_send_back(order)
    return render(
        request,
        "infusions/start.html",
        {"order": order, "patient": order.patient, "form": form, "day": day, "held": held},
        status=outcome.status,
    )


def _forms(session: InfusionSession, sheet: Any) -> dict[str, forms.Form]:
    version = {"version": session.version}
    titration = sheet.titration
    next_rate = titration.following.rate_ml_per_h if titration and titration.following else None
    if sheet.held:
        next_rate = None  # no step-up to offer while a reaction holds the rate
    first_rate = titration.current.rate_ml_per_h if titration else None
    resume_rate = None
    latest = sheet.reactions[-1] if sheet.reactions else None
    if latest is not None and latest.resume_plan:
        resume_rate = latest.resume_plan.get("resume_rate_ml_per_h")
    return {
        "identity": f.IdentityForm(auto_id="identity_%s"),
        "checklist": f.ChecklistForm(
            initial=f.ChecklistForm.initial_for(session) | version, auto_id="checklist_%s"
        ),
        "confirm": f.VersionedForm(initial=version, auto_id="confirm_%s"),
        "scan": f.ScanForm(auto_id="scan_%s"),
        "vitals": f.VitalsForm(auto_id="vitals_%s"),
        "start": f.RateForm(initial=version | {"rate_ml_per_h": first_rate}, auto_id="start_%s"),
        "rate": f.RateForm(initial=version | {"rate_ml_per_h": next_rate}, auto_id="rate_%s"),
        "pause": f.PauseForm(initial=version, auto_id="pause_%s"),
        "resume": f.RateForm(initial=version | {"rate_ml_per_h": resume_rate}, auto_id="resume_%s"),
        "end": f.EndForm(initial=version, auto_id="end_%s"),
        "reaction": f.ReactionForm(auto_id="reaction_%s"),
        "action": f.ReactionActionForm(auto_id="action_%s"),
        "settle": f.SettleForm(auto_id="settle_%s"),
        "discharge": f.DischargeForm(initial=version, auto_id="discharge_%s"),
    }


def render_flowsheet(
    request: HttpRequest,
    session: InfusionSession,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    session.refresh_from_db()
    sheet = flowsheet(session)
    page_forms = _forms(session, sheet) | (bound or {})
    context = {
        "session": session,
        "order": session.order,
        "patient": session.patient,
        "sheet": sheet,
        "forms": page_forms,
        "problems": actions.checklist_problems(session) if session.status == Status.CHECKLIST else [],
        "identity_checks": session.identity_checks.select_related("checked_by"),
        "scans": session.scans.select_related("lot__product"),
        "vitals": session.vitals.all(),
    }
    return render(request, "infusions/flowsheet.html", context, status=status)


@requires(ADMINISTER_INFUSION)
def session_flowsheet(request: HttpRequest, pk: int) -> HttpResponse:
    return render_flowsheet(request, get_session(request, pk))


@requires(ADMINISTER_INFUSION)
def session_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The live panel (htmx polls it), so a second device sees what the first recorded."""
    session = get_session(request, pk)
    return render(request, "infusions/_status.html", {"session": session, "sheet": flowsheet(session)})


def _post(
    request: SignedInRequest,
    pk: int,
    name: str,
    form_class: type[forms.Form],
    run: Callable[[InfusionSession, dict[str, Any]], Any],
    done: str,
) -> HttpResponse:
    session = get_session(request, pk)
    form = form_class(request.POST, auto_id=f"{name}_%s")
    if not form.is_valid():
        return render_flowsheet(request, session, {name: form}, status=422)
    with refusals_to(form) as outcome:
        run(session, form.cleaned_data)
        messages.success(request, done)
        return redirect(reverse("infusions:flowsheet", args=[session.pk]) + f"#{name}")
    _keep_conflict(request, session, outcome.error)
    return render_flowsheet(request, session, {name: form}, status=outcome.status)


def _keep_conflict(request: SignedInRequest, session: InfusionSession, error: ActionRefused | None) -> None:
    """Keep what a stale device tried to save (the audit trail shows what it would have changed)."""
    if isinstance(error, ConflictError):
        record_conflict(
            by=request.user,
            session=session,
            expected_version=error.expected_version,
            submitted=request.POST.dict(),
        )


def _version(data: dict[str, Any]) -> int | None:
    value = data.get("version")
    return None if value is None else int(value)


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
            by=request.user, session=session, expected_version=_version(form.cleaned_data), fields=fields
        )
    if outcome.error is not None:
        _keep_conflict(request, session, outcome.error)
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
    session = get_session(request, pk)
    form = f.IdentityForm(request.POST, auto_id="identity_%s")
    if not form.is_valid():
        return render_flowsheet(request, session, {"identity": form}, status=422)
    data = form.cleaned_data
    with refusals_to(form) as outcome:
        if data["wristband"].strip():
            check = identity.scan_wristband(by=request.user, session=session, text=data["wristband"])
        else:
            check = identity.check_identifiers(
                by=request.user,
                session=session,
                name_confirmed=data["name_confirmed"],
                date_of_birth=data["date_of_birth"],
                mrn=data["mrn"],
            )
    if outcome.error is not None:
        return render_flowsheet(request, session, {"identity": form}, status=outcome.status)
    if not check.accepted:
        form = f.IdentityForm({}, auto_id="identity_%s")
        form.is_valid()
        form.add_error(None, f"STOP: {check.refusal}")
        return render_flowsheet(request, session, {"identity": form}, status=422)
    messages.success(
        request, f"Patient identified ({check.get_entry_display().lower()}): scan the vials next."
    )
    return redirect(reverse("infusions:flowsheet", args=[session.pk]) + "#checklist")


@requires(ADMINISTER_INFUSION)
@require_POST
def checklist_confirm(request: SignedInRequest, pk: int) -> HttpResponse:
    session = get_session(request, pk)
    form = f.VersionedForm(request.POST, auto_id="confirm_%s")
    form.is_valid()
    with refusals_to(form) as outcome:
        session = actions.confirm_checklist(
            by=request.user, session=session, expected_version=_version(form.cleaned_data)
        )
    if outcome.error is not None:
        _keep_conflict(request, session, outcome.error)
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
    session = get_session(request, pk)
    form = f.ScanForm(request.POST, auto_id="scan_%s")
    if not form.is_valid():
        return render_flowsheet(request, session, {"scan": form}, status=422)
    with refusals_to(form) as outcome:
        scan = scanning.scan_vial(
            by=request.user,
            session=session,
            text=form.cleaned_data["scan"],
            lot_number=form.cleaned_data["lot_number"],
            expiry_date=form.cleaned_data["expiry_date"],
        )
    if outcome.error is not None:
        return render_flowsheet(request, session, {"scan": form}, status=outcome.status)
    if not scan.accepted:
        form = f.ScanForm({}, auto_id="scan_%s")
        form.is_valid()
        form.add_error(None, f"STOP: do not use this vial. {scan.refusal}")
        return render_flowsheet(request, session, {"scan": form}, status=422)
    messages.success(request, f"Vial accepted: lot {scan.lot_number}.")
    return redirect(reverse("infusions:flowsheet", args=[session.pk]) + "#scan")


@requires(ADMINISTER_INFUSION)
@require_POST
@one_time_form
def vitals_record(request: SignedInRequest, pk: int) -> HttpResponse:
    def run(session: InfusionSession, d: dict[str, Any]) -> Any:
        return actions.record_vitals(
            by=request.user,
            session=session,
            taken_at=d["taken_at"],
            temperature=d["temperature"],
            temperature_unit=d["temperature_unit"],
            heart_rate=d["heart_rate"],
            systolic=d["systolic"],
            diastolic=d["diastolic"],
            respiratory_rate=d["respiratory_rate"],
            spo2=d["spo2"],
            consciousness=d["consciousness"],
            on_oxygen=d["on_oxygen"],
            note=d["note"],
        )

    return _post(request, pk, "vitals", f.VitalsForm, run, "Vital signs recorded.")


def _pump(
    name: str, action: Callable[..., Any], done: str, form_class: type[forms.Form] = f.RateForm
) -> Callable[..., HttpResponse]:
    @requires(ADMINISTER_INFUSION)
    @require_POST
    def view(request: SignedInRequest, pk: int) -> HttpResponse:
        def run(session: InfusionSession, d: dict[str, Any]) -> Any:
            extra = {"rate_ml_per_h": d["rate_ml_per_h"]} if "rate_ml_per_h" in d else {}
            return action(
                by=request.user,
                session=session,
                expected_version=_version(d),
                at=d["at"],
                reason=d.get("reason", ""),
                **extra,
            )

        return _post(request, pk, name, form_class, run, done)

    view.__name__ = f"pump_{name}"
    return view


pump_start = _pump("start", pump.start_infusion, "Infusion started.")
pump_rate = _pump("rate", pump.change_rate, "Rate change recorded.")
pump_pause = _pump("pause", pump.pause, "Pump paused.", f.PauseForm)
pump_resume = _pump("resume", pump.resume, "Infusion restarted.")
pump_end = _pump("end", pump.end_infusion, "Infusion ended: observe, then discharge.", f.EndForm)


@requires(ADMINISTER_INFUSION)
@require_POST
@one_time_form
def reaction_new(request: SignedInRequest, pk: int) -> HttpResponse:
    def run(session: InfusionSession, d: dict[str, Any]) -> Any:
        return reaction_actions.record_reaction(
            by=request.user,
            session=session,
            onset_at=d["onset_at"],
            grade=d["grade"],
            symptoms=d["symptoms"],
            other_symptoms=d["other_symptoms"],
            anaphylaxis_suspected=d["anaphylaxis_suspected"],
        )

    return _post(request, pk, "reaction", f.ReactionForm, run, "Reaction recorded: follow the guidance.")


def _reaction(session: InfusionSession, reaction_pk: int) -> Reaction:
    reaction = session.reactions.filter(pk=reaction_pk).first()
    if reaction is None:
        raise Http404("No such reaction")
    return reaction


@requires(ADMINISTER_INFUSION)
@require_POST
@one_time_form
def reaction_action(request: SignedInRequest, pk: int, reaction_pk: int) -> HttpResponse:
    def run(session: InfusionSession, d: dict[str, Any]) -> Any:
        return reaction_actions.add_reaction_action(
            by=request.user,
            reaction=_reaction(session, reaction_pk),
            at=d["at"],
            description=d["description"],
        )

    return _post(request, pk, "action", f.ReactionActionForm, run, "Treatment recorded.")


@requires(ADMINISTER_INFUSION)
@require_POST
def reaction_settled(request: SignedInRequest, pk: int, reaction_pk: int) -> HttpResponse:
    def run(session: InfusionSession, d: dict[str, Any]) -> Any:
        return reaction_actions.settle_reaction(
            by=request.user,
            reaction=_reaction(session, reaction_pk),
            at=d["at"],
            chosen_rate_ml_per_h=d["chosen_rate_ml_per_h"],
        )

    return _post(request, pk, "settle", f.SettleForm, run, "Settled: the plan to resume is below.")


@requires(ADMINISTER_INFUSION)
@require_POST
def session_discharge(request: SignedInRequest, pk: int) -> HttpResponse:
    def run(session: InfusionSession, d: dict[str, Any]) -> Any:
        return actions.discharge(
            by=request.user,
            session=session,
            expected_version=_version(d),
            at=d["at"],
            education_given=d["education_given"],
            diary_given=d["diary_given"],
            vials_wasted=d["vials_wasted"],
            waste_reason=d["waste_reason"],
            note=d["note"],
        )

    return _post(
        request, pk, "discharge", f.DischargeForm, run, "Discharged: the 72-hour follow-up has started."
    )

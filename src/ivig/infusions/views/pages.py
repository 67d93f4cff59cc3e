"""Today's infusions, starting a session, and the flowsheet page with its forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from ivig import clock
from ivig.accounts.access import requires
from ivig.accounts.requests import SignedInRequest
from ivig.accounts.roles import ADMINISTER_INFUSION
from ivig.infusions import actions, worklist
from ivig.infusions import forms as f
from ivig.infusions.events import ConflictError, record_conflict
from ivig.infusions.models import IdentityCheck, InfusionSession, VialScan
from ivig.infusions.state import flowsheet
from ivig.lib.refusals import ActionRefused, refusals_to
from ivig.orders.sent_back import latest_send_back
from ivig.orders.views import get_order
from ivig.patients.models import Patient

Status = InfusionSession.Status
WORKLIST_PER_PAGE = 25


def get_session_by_pk(pk: int) -> InfusionSession:
    return InfusionSession.objects.select_related("order", "patient").get(pk=pk)


def get_session(request: HttpRequest, pk: int) -> InfusionSession:
    sessions = Patient.objects.visible_to(request.user).scope(InfusionSession.objects.all())
    try:
        return sessions.select_related("order", "patient").get(pk=pk)
    except InfusionSession.DoesNotExist:
        raise Http404("No such infusion session") from None


@requires(ADMINISTER_INFUSION)
def infusion_list(request: HttpRequest) -> HttpResponse:
    today = clock.localdate()
    visible = Patient.objects.visible_to(request.user)
    # Pages of 25 each (`page`, `ready`): a busy day's hundred rows at once took 40 ms to draw.
    sessions = Paginator(worklist.todays_sessions(visible, today), WORKLIST_PER_PAGE).get_page(
        request.GET.get("page")
    )
    ready_page = Paginator(worklist.ready_to_start(visible), WORKLIST_PER_PAGE).get_page(
        request.GET.get("ready")
    )
    ready = list(ready_page.object_list)
    days = actions.next_days(ready)  # one query, not one per order
    ready_rows = [(order, days[order.pk]) for order in ready]
    context = {
        "sessions": sessions,
        "ready": [(o, d) for o, d in ready_rows if d is not None],
        "ready_page": ready_page,
        "today": today,
    }
    return render(request, "infusions/list.html", context)


@requires(ADMINISTER_INFUSION)
def session_start(request: SignedInRequest, order_pk: int) -> HttpResponse:
    order = get_order(request, order_pk)
    # A home visit's route links here with ?setting=home&location=... to preset where.
    preset = request.GET.get("setting")
    initial = {
        "setting": preset if preset in InfusionSession.Setting.values else InfusionSession.Setting.CENTRE,
        "location": request.GET.get("location", "")[:120],
    }
    form = f.StartForm(request.POST or None, initial=initial)
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
    if bound is not None:
        # A refused post: the action may have changed this copy before it was refused. Read it again (with
        # its order and patient, which a reload drops); a plain visit has just loaded it.
        session = get_session_by_pk(session.pk)
    # Each read once for the page: the flowsheet's checks, the checklist and the tables share them.
    prefetch_related_objects(
        [session],
        "vitals",
        Prefetch("scans", queryset=VialScan.objects.select_related("lot__product")),
        Prefetch("identity_checks", queryset=IdentityCheck.objects.select_related("checked_by")),
    )
    sheet = flowsheet(session)
    page_forms = _forms(session, sheet) | (bound or {})
    context = {
        "session": session,
        "order": session.order,
        "patient": session.patient,
        "sheet": sheet,
        "forms": page_forms,
        "problems": actions.checklist_problems(session) if session.status == Status.CHECKLIST else [],
        "identity_checks": session.identity_checks.all(),
        "scans": session.scans.all(),
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


def keep_conflict(request: SignedInRequest, session: InfusionSession, error: ActionRefused | None) -> None:
    """Keep what a stale device tried to save (the audit trail shows what it would have changed)."""
    if isinstance(error, ConflictError):
        record_conflict(
            by=request.user,
            session=session,
            expected_version=error.expected_version,
            submitted=request.POST.dict(),
        )


def posted_version(data: dict[str, Any]) -> int | None:
    value = data.get("version")
    return None if value is None else int(value)


class HardStop(Exception):
    """A check recorded and refused (a wristband or a vial that does not match): stop, and say why."""


def post_step(
    request: SignedInRequest,
    pk: int,
    name: str,
    form_class: type[forms.Form],
    run: Callable[[InfusionSession, dict[str, Any]], Any],
    done: Callable[[Any], str],
    anchor: str = "",
) -> HttpResponse:
    """Post one flowsheet form: `run(session, fields)` records it and `done(result)` says so.

    A refusal shows on the form (422, or 409 for a stale device, whose entry is kept); a HardStop shows on a
    fresh form (422), so nothing scanned is kept in it."""
    session = get_session(request, pk)
    form = form_class(request.POST, auto_id=f"{name}_%s")
    if not form.is_valid():
        return render_flowsheet(request, session, {name: form}, status=422)
    with refusals_to(form) as outcome:
        try:
            result = run(session, dict(form.cleaned_data))
        except HardStop as stop:
            fresh = form_class({}, auto_id=f"{name}_%s")
            fresh.is_valid()
            fresh.add_error(None, f"STOP: {stop}")
            return render_flowsheet(request, session, {name: fresh}, status=422)
        messages.success(request, done(result))
        return redirect(reverse("infusions:flowsheet", args=[session.pk]) + f"#{anchor or name}")
    keep_conflict(request, session, outcome.error)
    return render_flowsheet(request, session, {name: form}, status=outcome.status)

"""The flowsheet's steps once the infusion runs: vital signs, the pump, reactions and discharge."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from ivig.accounts.access import requires
from ivig.accounts.requests import SignedInRequest
from ivig.accounts.roles import ADMINISTER_INFUSION
from ivig.audit.once import one_time_form
from ivig.infusions import actions, pump, reaction_actions
from ivig.infusions import forms as f
from ivig.infusions.models import InfusionSession, Reaction
from ivig.infusions.views.pages import get_session, keep_conflict, posted_version, render_flowsheet
from ivig.lib.refusals import refusals_to


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
    keep_conflict(request, session, outcome.error)
    return render_flowsheet(request, session, {name: form}, status=outcome.status)


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
                expected_version=posted_version(d),
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
            expected_version=posted_version(d),
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

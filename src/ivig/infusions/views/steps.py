"""The flowsheet's steps once the infusion runs: vital signs, the pump, reactions and discharge."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_POST

from ivig.accounts.access import requires
from ivig.accounts.requests import SignedInRequest
from ivig.accounts.roles import ADMINISTER_INFUSION
from ivig.audit.once import one_time_form
from ivig.infusions import actions, pump, reaction_actions
from ivig.infusions import forms as f
from ivig.infusions.models import InfusionSession, Reaction
from ivig.infusions.views.pages import post_step, posted_version


def action_arguments(data: dict[str, Any]) -> dict[str, Any]:
    """A step form's fields as its action's keywords (they share names); the posted version is the
    `expected_version` of a versioned form."""
    arguments = {name: value for name, value in data.items() if name != "version"}
    if "version" in data:
        arguments["expected_version"] = posted_version(data)
    return arguments


def _step(
    name: str, form_class: type[forms.Form], action: Callable[..., Any], done: str, *, once: bool = False
) -> Callable[..., HttpResponse]:
    """The view of one flowsheet step: run `action` on the session (or on the reaction of the address) with
    the form's fields; `once` keeps a form sent twice from recording twice."""

    def view(request: SignedInRequest, pk: int, reaction_pk: int | None = None) -> HttpResponse:
        def run(session: InfusionSession, data: dict[str, Any]) -> Any:
            subject: dict[str, Any] = {"session": session}
            if reaction_pk is not None:
                subject = {"reaction": _reaction(session, reaction_pk)}
            return action(by=request.user, **subject, **action_arguments(data))

        return post_step(request, pk, name, form_class, run, lambda _result: done)

    view.__name__ = view.__qualname__ = f"{name}_step"
    step = one_time_form(view) if once else view
    return requires(ADMINISTER_INFUSION)(require_POST(step))


def _reaction(session: InfusionSession, reaction_pk: int) -> Reaction:
    reaction = session.reactions.filter(pk=reaction_pk).first()
    if reaction is None:
        raise Http404("No such reaction")
    return reaction


vitals_record = _step("vitals", f.VitalsForm, actions.record_vitals, "Vital signs recorded.", once=True)

pump_start = _step("start", f.RateForm, pump.start_infusion, "Infusion started.")
pump_rate = _step("rate", f.RateForm, pump.change_rate, "Rate change recorded.")
pump_pause = _step("pause", f.PauseForm, pump.pause, "Pump paused.")
pump_resume = _step("resume", f.RateForm, pump.resume, "Infusion restarted.")
pump_end = _step("end", f.EndForm, pump.end_infusion, "Infusion ended: observe, then discharge.")

reaction_new = _step(
    "reaction",
    f.ReactionForm,
    reaction_actions.record_reaction,
    "Reaction recorded: follow the guidance.",
    once=True,
)
reaction_action = _step(
    "action", f.ReactionActionForm, reaction_actions.add_reaction_action, "Treatment recorded.", once=True
)
reaction_settled = _step(
    "settle", f.SettleForm, reaction_actions.settle_reaction, "Settled: the plan to resume is below."
)
session_discharge = _step(
    "discharge", f.DischargeForm, actions.discharge, "Discharged: the 72-hour follow-up has started."
)

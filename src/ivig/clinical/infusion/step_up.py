"""May the rate go up now? Not while a reaction is open.

The labels say to slow or stop the infusion in a reaction and, once the symptoms subside promptly, to resume
at a lower, tolerated rate (docs/reference/monitoring.md s8). So while a reaction has not settled the rate may
be held or
lowered, never raised; a reaction that needed a pause is over only once the pump restarted on its resume plan
(the last tolerated rate, then the plan's steps again); after a reaction that stopped the infusion nothing
goes up again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from ivig.clinical.infusion.reactions import LABEL_MANAGEMENT_SOURCE, InfusionAction

SOURCE = LABEL_MANAGEMENT_SOURCE


@dataclass(frozen=True, slots=True)
class ReactionSoFar:
    """One reaction of this infusion as it stands at the time of the change."""

    grade: int
    onset_at: datetime  # in the time zone the message should show
    action: InfusionAction  # what the core's guidance said to do
    headline: str  # the guidance headline shown when it was recorded
    may_resume: bool
    settled: bool
    restarted_on_plan: bool  # the pump restarted on this reaction's resume plan

    @property
    def name(self) -> str:
        return f"the grade {self.grade} reaction at {self.onset_at:%H:%M}"


@dataclass(frozen=True, slots=True)
class StepUpCheck:
    allowed: bool
    message: str
    holding: ReactionSoFar | None = None  # the reaction that keeps the rate from going up
    source: str = SOURCE


def step_up_check(reactions: Sequence[ReactionSoFar]) -> StepUpCheck:
    """Whether a step-up is allowed given this infusion's reactions; the refusal names the reaction."""
    latest_first = sorted(reactions, key=lambda r: r.onset_at, reverse=True)
    for reaction in latest_first:
        if not reaction.may_resume or reaction.action is InfusionAction.STOP:
            return StepUpCheck(
                False,
                f"No step-up: {reaction.name} means the infusion must not go on ({reaction.headline}).",
                reaction,
            )
    for reaction in latest_first:
        if not reaction.settled:
            return StepUpCheck(
                False,
                f"No step-up while {reaction.name} is open ({reaction.headline}). Record that the "
                "symptoms have settled first; holding or lowering the rate is allowed.",
                reaction,
            )
    for reaction in latest_first:
        if reaction.action is InfusionAction.PAUSE and not reaction.restarted_on_plan:
            return StepUpCheck(
                False,
                f"No step-up: after {reaction.name} pause the pump and restart it on the resume plan (the "
                "last tolerated rate) first; it then steps up from there.",
                reaction,
            )
    return StepUpCheck(True, "No open reaction: the plan's steps apply.")

"""Write the shortage data: declare a phase, assign a priority category, change the phase rules (audited)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from ivig import clock
from ivig.audit.events import record
from ivig.clinical.reasons import reason_problem
from ivig.lib.refusals import ActionRefused
from ivig.siteconfig.shortage import (
    INDICATION_LABELS,
    Category,
    Decision,
    Phase,
    PriorityCategoryAssignment,
    Scope,
    ShortagePhaseDeclaration,
    ShortagePolicy,
)
from ivig.siteconfig.shortage_defaults import RULE_CATEGORIES

if TYPE_CHECKING:
    from ivig.accounts.models import User


class ShortageError(ActionRefused):
    """A shortage declaration, category or rule was not saved; the message says why."""


def _choice(value: str, choices: type[Any], what: str) -> str:
    if value not in choices.values:
        raise ShortageError(f"{value!r} is not a {what}.")
    return value


@transaction.atomic
def declare_phase(
    *, by: User, phase: str, reason: str, scope: str = Scope.SITE, authority: str = ""
) -> ShortagePhaseDeclaration:
    """Declare the shortage phase from now on, with a reason a colleague can act on."""
    _choice(phase, Phase, "shortage phase")
    _choice(scope, Scope, "scope")
    reason = reason.strip()
    problem = reason_problem(reason)
    if problem:
        raise ShortageError(f"Say why the phase changes (the stock, the supplier's notice). {problem}")
    authority = authority.strip()
    if scope == Scope.REGION and not authority:
        raise ShortageError("Name the regional committee that declared the phase.")
    previous = ShortagePhaseDeclaration.current()
    declaration = ShortagePhaseDeclaration.objects.create(
        phase=phase,
        reason=reason[:500],
        scope=scope,
        authority=authority[:200],
        declared_by=by,
        declared_at=clock.now(),
    )
    label = declaration.get_phase_display()
    was = previous.get_phase_display() if previous else "Green (never declared)"
    record(
        action="shortage.declare_phase",
        by=by,
        target=declaration,
        summary=f"Shortage phase {label} declared (was {was}): {reason}",
        before={"phase": previous.phase if previous else None},
        after={"phase": phase, "reason": reason, "scope": scope, "authority": authority},
    )
    return declaration


@transaction.atomic
def assign_category(
    *, by: User, indication: str, category: str, source: str, scope: str = Scope.SITE
) -> PriorityCategoryAssignment:
    """Give an indication its priority colour; the source is the text it comes from (a guideline, a list)."""
    if indication not in INDICATION_LABELS:
        raise ShortageError(f"{indication!r} is not an indication.")
    _choice(category, Category, "priority category")
    _choice(scope, Scope, "scope")
    source = source.strip()
    if not source:
        raise ShortageError("Say where the category comes from (the guideline, the regional list).")
    previous = (
        PriorityCategoryAssignment.objects.filter(indication=indication)
        .order_by("-assigned_at", "-id")
        .first()
    )
    assignment = PriorityCategoryAssignment.objects.create(
        indication=indication,
        category=category,
        source=source[:300],
        scope=scope,
        assigned_by=by,
        assigned_at=clock.now(),
    )
    record(
        action="shortage.assign_category",
        by=by,
        target=assignment,
        summary=f"{INDICATION_LABELS[indication]}: priority category {category} (source: {source})",
        before={"category": previous.category if previous else None},
        after={"indication": indication, "category": category, "source": source, "scope": scope},
    )
    return assignment


RULE_DECISIONS = (Decision.PROCEED.value, Decision.APPROVAL.value, Decision.WAIT.value)


@transaction.atomic
def update_policy(
    *,
    by: User,
    rules: dict[str, dict[str, str]],
    advisory_below_days: int,
    amber_below_days: int,
    red_below_days: int,
    source: str,
) -> ShortagePolicy:
    """Save the phase rules and the thresholds; the source of the change is required."""
    for phase in Phase.values:
        row = rules.get(phase) or {}
        for category in RULE_CATEGORIES:
            if row.get(category) not in RULE_DECISIONS:
                raise ShortageError(f"Choose proceed, needs approval or wait for {category} in {phase}.")
    if not red_below_days < amber_below_days < advisory_below_days:
        raise ShortageError("The thresholds must fall: Green Advisory above Amber above Red.")
    source = source.strip()
    if not source:
        raise ShortageError("Say where these rules come from (the committee decision, the regional plan).")
    policy = ShortagePolicy.objects.select_for_update().get_or_create(pk=1)[0]
    fields = ("rules", "advisory_below_days", "amber_below_days", "red_below_days", "source")
    before = {name: getattr(policy, name) for name in fields}
    policy.rules = {phase: {c: rules[phase][c] for c in RULE_CATEGORIES} for phase in Phase.values}
    policy.advisory_below_days = advisory_below_days
    policy.amber_below_days = amber_below_days
    policy.red_below_days = red_below_days
    policy.source = source[:300]
    policy.save()
    after = {name: getattr(policy, name) for name in fields}
    record(
        action="shortage.update_policy",
        by=by,
        target=policy,
        summary=f"Shortage phase rules changed; source: {policy.source}",
        before={k: v for k, v in before.items() if v != after[k]},
        after={k: v for k, v in after.items() if v != before[k]},
    )
    return policy

"""Write indication criteria: each change is a new version; an old version is never edited.

Orders keep the version they were signed under, so a change applies only to orders signed from its
effective date.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction

from ivig import clock
from ivig.audit.events import record
from ivig.lib.refusals import ActionRefused
from ivig.orders.models import INDICATION_CHOICES, IndicationCriteria
from ivig.patients.models import LabResult

if TYPE_CHECKING:
    from ivig.accounts.models import User

# Sensible bounds: a baseline older than ten years or an approval longer than ten years is a typing error.
MAX_DAYS = 3650


class CriteriaError(ActionRefused):
    """A criteria version was refused; the message says why."""


def criteria_values(criteria: IndicationCriteria | None) -> dict[str, Any]:
    """The fields a version sets, as JSON-ready data (for the audit trail and to prefill the next one)."""
    if criteria is None:
        return {}
    return {
        "version": criteria.version,
        "required_labs": list(criteria.required_labs),
        "baseline_max_age_days": criteria.baseline_max_age_days,
        "review_interval_days": criteria.review_interval_days,
        "approval_required": criteria.approval_required,
        "approval_days": criteria.approval_days,
        "source": criteria.source,
        "effective_from": criteria.effective_from.isoformat(),
    }


def _days(value: int | None, what: str) -> int:
    if value is None or not 1 <= int(value) <= MAX_DAYS:
        raise CriteriaError(f"The {what} must be between 1 and {MAX_DAYS} days.")
    return int(value)


@transaction.atomic
def add_criteria_version(
    *,
    by: User,
    indication: str,
    required_labs: list[str],
    baseline_max_age_days: int,
    review_interval_days: int | None,
    approval_required: bool,
    approval_days: int,
    source: str,
    effective_from: date,
    today: date | None = None,
) -> IndicationCriteria:
    """Add the next version of an indication's criteria, effective from today or a later day."""
    today = today or clock.localdate()
    if indication not in dict(INDICATION_CHOICES):
        raise CriteriaError(f"Unknown indication {indication!r}.")
    kinds = [kind for kind in LabResult.Kind.values if kind in set(required_labs)]
    unknown = sorted(set(required_labs) - set(kinds))
    if unknown:
        raise CriteriaError("Unknown laboratory measure: " + ", ".join(unknown) + ".")
    source = source.strip()
    if not source:
        raise CriteriaError("Say where the rule comes from (a guideline, a programme or a site decision).")
    if effective_from < today:
        raise CriteriaError(
            "A new version cannot take effect in the past: orders already signed keep theirs."
        )
    # Lock the indication's versions so two people adding one at once get 2 and 3, not 2 twice.
    latest = (
        IndicationCriteria.objects.select_for_update()
        .filter(indication=indication)
        .order_by("-version")
        .first()
    )
    if latest is not None and effective_from < latest.effective_from:
        raise CriteriaError(
            f"Version {latest.version} takes effect on {latest.effective_from:%Y-%m-%d}: "
            "a new version cannot take effect before it."
        )
    criteria = IndicationCriteria(
        indication=indication,
        version=(latest.version + 1) if latest else 1,
        required_labs=kinds,
        baseline_max_age_days=_days(baseline_max_age_days, "baseline age"),
        review_interval_days=None
        if review_interval_days is None
        else _days(review_interval_days, "review interval"),
        approval_required=bool(approval_required),
        approval_days=_days(approval_days, "approval length"),
        source=source[:300],
        effective_from=effective_from,
        created_by=by,
    )
    criteria.full_clean(exclude=["created_by"])
    criteria.save()
    record(
        action="criteria.add_version",
        by=by,
        target=criteria,
        summary=f"{criteria} from {effective_from:%Y-%m-%d}"
        + (", approval required" if criteria.approval_required else ""),
        before=criteria_values(latest),
        after=criteria_values(criteria),
    )
    return criteria

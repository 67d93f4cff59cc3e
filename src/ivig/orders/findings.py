"""Cautions and stops of a plan, as the order, verify and dispense pages show them (issue 16).

A stop is a hard limit: nothing on the order unlocks it; only an Admin changing the site's limit (audited,
with its source) moves it. A caution goes on only with the prescriber's written reason, and each one is
acknowledged by the verifying pharmacist. The checks themselves live in the clinical core.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ivig.clinical import InfusionPlan, Severity
from ivig.clinical.patient import Finding
from ivig.clinical.reasons import reason_problem

# The order-form fields a finding can concern (Finding.field); "" is the order as a whole.
FIELDS = ("dose", "days", "product", "weight", "route", "max_rate", "sc_dose", "")


@dataclass(frozen=True)
class Caution:
    """One caution of a plan (once per code) with the prescriber's reason and what is wrong with it."""

    code: str
    message: str
    source: str
    field: str
    reason: str
    problem: str  # "" when the reason is usable

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "source": self.source,
            "field": self.field,
            "reason": self.reason,
        }


def _field(finding: Finding) -> str:
    value = getattr(finding, "field", "")
    return value if value in FIELDS else ""


def cautions(plan: InfusionPlan, reasons: dict[str, str]) -> list[Caution]:
    """Each caution once (the first of a code), with the reason given for it, in plan order."""
    seen: dict[str, Caution] = {}
    for finding in plan.cautions:
        if finding.code in seen:
            continue
        reason = (reasons.get(finding.code) or "").strip()
        seen[finding.code] = Caution(
            finding.code, finding.message, finding.source, _field(finding), reason, reason_problem(reason)
        )
    return list(seen.values())


def stop_text(finding: Finding) -> str:
    """A stop in words: what, the limit's source, and that no reason unlocks it."""
    kind = "Contraindicated" if finding.severity is Severity.CONTRAINDICATION else "Stop"
    return f"{kind}: {finding.message} (limit from {finding.source}). No reason can override this."


def stop_problems(plan: InfusionPlan) -> list[str]:
    return [stop_text(finding) for finding in plan.stops]


def reason_problems(items: list[Caution]) -> list[str]:
    """Say, caution by caution, which reasons are missing or not real words."""
    return [f"{c.message}: {c.problem}" for c in items if c.problem]


def unacknowledged(items: list[dict[str, Any]], acknowledged: set[str]) -> list[dict[str, Any]]:
    return [item for item in items if item["code"] not in acknowledged]


def by_field(plan: InfusionPlan | None, reasons: dict[str, str]) -> dict[str, dict[str, list[Any]]]:
    """Stops, cautions and information keyed by the field they concern, for the order form."""
    slots: dict[str, dict[str, list[Any]]] = {
        name: {"stops": [], "cautions": [], "info": []} for name in FIELDS
    }
    if plan is None:
        return slots
    for finding in plan.stops:
        slots[_field(finding)]["stops"].append({"finding": finding, "text": stop_text(finding)})
    for caution in cautions(plan, reasons):
        slots[caution.field]["cautions"].append(caution)
    return slots


def summary(plan: InfusionPlan | None, reasons: dict[str, str]) -> dict[str, Any]:
    """Counts for the bar beside the sign button (it stays in view whatever the warnings above say), with
    the slot of the first stop and of the first caution to jump to."""
    if plan is None:
        return {"stops": 0, "cautions": 0, "missing": 0}
    items = cautions(plan, reasons)
    first_stop = next((_field(f) for f in plan.stops), "")
    first_caution = next((c.field for c in items if c.problem), items[0].field if items else "")
    return {
        "stops": len(plan.stops),
        "cautions": len(items),
        "missing": sum(1 for c in items if c.problem),
        "first_stop": first_stop or "order",
        "first_caution": first_caution or "order",
    }


def signed_cautions(plan: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The cautions stored with a signed plan (an empty list for orders signed before issue 16)."""
    return list((plan or {}).get("cautions") or [])

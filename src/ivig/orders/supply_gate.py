"""The shortage gate on an order: what the declared phase asks of the indication's priority category.

The phase, the categories and the rules are site data (ivig.siteconfig.shortage). At signing: proceed; or the
order needs approval (the existing authorisation path); or it waits (a stop: not signed while the phase
lasts);
a black-category indication is never prescribed, in any phase. Every other check of the order still applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ivig.clinical.regimens import all_regimens
from ivig.siteconfig.shortage import (
    INDICATION_LABELS,
    Category,
    Decision,
    Phase,
    ShortagePhaseDeclaration,
    ShortagePolicy,
    current_categories,
)

LEVELS = {
    Decision.PROCEED.value: "info",
    Decision.APPROVAL.value: "caution",
    Decision.WAIT.value: "stop",
    Decision.NEVER.value: "stop",
}


@dataclass(frozen=True)
class SupplyGate:
    indication: str
    phase: str
    category: str | None  # None: no category assigned for the indication
    decision: str
    category_source: str = ""

    @property
    def level(self) -> str:
        return LEVELS[self.decision]

    @property
    def phase_label(self) -> str:
        return str(Phase(self.phase).label)

    @property
    def category_label(self) -> str:
        return str(Category(self.category).label) if self.category else "no priority category set"

    @property
    def blocks_signing(self) -> bool:
        return self.decision in (Decision.WAIT, Decision.NEVER)

    @property
    def message(self) -> str:
        what = INDICATION_LABELS.get(self.indication, self.indication or "This indication")
        facts = f"{what}: {self.category_label}"
        if self.decision == Decision.NEVER:
            return (
                f"{facts}. Immunoglobulin is not prescribed for a black-category indication, in any phase "
                f"(category source: {self.category_source})."
            )
        phase = f"Shortage phase {self.phase_label}"
        if self.decision == Decision.WAIT:
            return (
                f"{phase}. {facts}: orders wait while this phase lasts. Discuss with the immunoglobulin "
                "stewardship team (the Supply page lists the patients affected and their options)."
            )
        if self.decision == Decision.APPROVAL:
            return f"{phase}. {facts}: the order needs approval before it is dispensed."
        return f"{phase}. {facts}: orders proceed."

    @classmethod
    def from_dict(cls, indication: str, data: dict[str, Any]) -> SupplyGate:
        """The gate as it was at signing (kept in the signed plan)."""
        return cls(
            indication=indication,
            phase=data["phase"],
            category=data.get("category"),
            decision=data["decision"],
            category_source=data.get("category_source", ""),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "phase": self.phase,
            "category": self.category,
            "decision": self.decision,
            "category_source": self.category_source,
            "message": self.message,
        }


def gate_for(indication: str, *, phase: str | None = None) -> SupplyGate:
    """The gate for an order of `indication` in the declared phase (or `phase`)."""
    if phase is None:
        declaration = ShortagePhaseDeclaration.current()
        phase = declaration.phase if declaration else Phase.GREEN.value
    assignment = current_categories().get(indication)
    category = assignment.category if assignment else None
    return SupplyGate(
        indication=indication,
        phase=phase,
        category=category,
        decision=ShortagePolicy.load().decision(phase, category),
        category_source=assignment.source if assignment else "",
    )


def gate_for_regimen(regimen_id: str) -> SupplyGate | None:
    """The gate for an order of this regimen's indication; None for an unknown regimen."""
    regimen = all_regimens().get(regimen_id)
    return gate_for(str(regimen.indication)) if regimen else None


def gate_of_order(order: Any) -> SupplyGate | None:
    """A draft's gate as it stands now; a signed order's as it was at signing (None: signed before
    issue 20)."""
    if order.is_editable():
        return gate_for(order.indication) if order.indication else None
    kept = (order.signed_plan or {}).get("supply_gate")
    return SupplyGate.from_dict(order.indication, kept) if kept else None

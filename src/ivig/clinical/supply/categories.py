"""Priority categories per indication and the decision for one order under the current phase.

The colours come from the UK demand management programme (docs/reference/supply.md s15); which indication
has which colour is set by a national guideline and changes over time, so the mapping is data the site or
region sets, each row with its source. The engine never assigns a colour itself. An indication the site has
not categorised needs approval in every phase but Green (a site decision: the cautious default).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ivig.clinical.supply.phases import PhaseRules, default_rules
from ivig.clinical.supply.terms import UK_DH_SOURCE, Category, OrderOutcome, Phase

# In our own words, after the UK guideline's definitions (s15).
DEFINITIONS: dict[Category, str] = {
    Category.RED: "High priority: treatment may save a life. Supply is kept for them in a shortage.",
    Category.BLUE: (
        "Medium priority: there is reasonable evidence, but other treatments exist. "
        "Treatment is changed in a shortage."
    ),
    Category.GREY: (
        "Low priority: the evidence is weak, often because the disease is rare. Each case is weighed against "
        "other demands, usually with panel approval."
    ),
    Category.BLACK: "Immunoglobulin is not appropriate for this indication and is not prescribed.",
}
DEFINITIONS_SOURCE = UK_DH_SOURCE


@dataclass(frozen=True, slots=True)
class IndicationCategory:
    """One row of the site's (or region's) mapping: an indication code and its colour, with its source."""

    indication: str  # the site's indication code, e.g. "pi", "itp", "cidp"
    category: Category
    source: str  # e.g. "NHS England commissioning criteria v1.6, 2021"; never empty
    note: str = ""

    def __post_init__(self) -> None:
        if not self.source.strip():
            raise ValueError(f"the category of {self.indication!r} needs its source")


@dataclass(frozen=True, slots=True)
class CategoryMap:
    rows: tuple[IndicationCategory, ...] = ()

    @classmethod
    def of(cls, rows: Iterable[IndicationCategory]) -> CategoryMap:
        rows = tuple(rows)
        seen: set[str] = set()
        for row in rows:
            if row.indication in seen:
                raise ValueError(f"indication {row.indication!r} has more than one category")
            seen.add(row.indication)
        return cls(rows)

    def row_for(self, indication: str) -> IndicationCategory | None:
        return next((r for r in self.rows if r.indication == indication), None)

    def category_for(self, indication: str) -> Category | None:
        row = self.row_for(indication)
        return None if row is None else row.category


@dataclass(frozen=True, slots=True)
class OrderDecision:
    outcome: OrderOutcome
    category: Category | None
    phase: Phase
    reason: str
    source: str  # where the rule comes from: the framework, or "site decision"

    @property
    def proceeds(self) -> bool:
        return self.outcome is OrderOutcome.PROCEED


def decide_order(category: Category | None, phase: Phase, rules: PhaseRules | None = None) -> OrderDecision:
    """Return whether an order of an indication in `category` proceeds, needs approval or waits in `phase`.

    Black is never prescribed, in any phase and whatever the site's rules say (s15).
    """
    if category is Category.BLACK:
        return OrderDecision(
            OrderOutcome.NOT_PRESCRIBED,
            category,
            phase,
            "black category: immunoglobulin is not appropriate for this indication and is not prescribed",
            UK_DH_SOURCE,
        )
    rules = rules or default_rules()
    rule = rules.for_phase(phase)
    outcome = rule.uncategorised if category is None else rule.outcome_for(category)
    what = "an indication without a category" if category is None else f"the {category.value} category"
    return OrderDecision(
        outcome,
        category,
        phase,
        f"{phase.label} phase: {what} {_verb(outcome)}",
        rule.source,
    )


def decide_for_indication(
    indication: str, phase: Phase, categories: CategoryMap, rules: PhaseRules | None = None
) -> OrderDecision:
    return decide_order(categories.category_for(indication), phase, rules)


def _verb(outcome: OrderOutcome) -> str:
    return {
        OrderOutcome.PROCEED: "proceeds",
        OrderOutcome.NEEDS_APPROVAL: "needs approval",
        OrderOutcome.WAIT: "waits until the phase eases (or is approved as an exception)",
        OrderOutcome.NOT_PRESCRIBED: "is not prescribed",
    }[outcome]

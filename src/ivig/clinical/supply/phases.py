"""Shortage phases: the rules of each phase per priority category; days-of-stock thresholds suggest a change.

The phases are the Canadian national plan's (Green, Green Advisory, Amber, Red, Recovery;
docs/reference/supply.md s15). The plan leaves the allocation criteria of each phase to the emergency blood
management committees of hospitals and regions, so every rule below is a default the site replaces: each is
marked as a site decision. Two rules are the UK guideline's, not ours: black indications are never prescribed,
and grey ones usually go to a panel (s15).

A phase is declared by people (the site or region, with a reason); days of stock only *suggest* a change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from ivig.clinical.supply.terms import CANADA_PLAN_SOURCE, SITE_DECISION, Category, OrderOutcome, Phase

_P, _A, _W = OrderOutcome.PROCEED, OrderOutcome.NEEDS_APPROVAL, OrderOutcome.WAIT
# Severity for suggestions; Recovery sits between Amber and Green Advisory.
SEVERITY = {Phase.GREEN: 0, Phase.GREEN_ADVISORY: 1, Phase.RECOVERY: 1.5, Phase.AMBER: 2, Phase.RED: 3}

PHASE_DESCRIPTIONS: dict[Phase, str] = {
    Phase.GREEN: "Supply meets demand; usual practice.",
    Phase.GREEN_ADVISORY: "Supply is at risk; conserve and prepare to restrict.",
    Phase.AMBER: "Supply is short; lower-priority use is restricted.",
    Phase.RED: "Supply is critically short; only the highest priority is treated.",
    Phase.RECOVERY: "Supply is recovering; restrictions are lifted step by step.",
}


@dataclass(frozen=True, slots=True)
class PhaseRule:
    phase: Phase
    outcomes: Mapping[Category, OrderOutcome]
    uncategorised: OrderOutcome  # an indication the site has not given a colour
    source: str = SITE_DECISION
    note: str = ""

    def outcome_for(self, category: Category) -> OrderOutcome:
        if category is Category.BLACK:
            return OrderOutcome.NOT_PRESCRIBED
        return self.outcomes.get(category, self.uncategorised)


def _rule(
    phase: Phase, red: OrderOutcome, blue: OrderOutcome, grey: OrderOutcome, other: OrderOutcome, note: str
) -> PhaseRule:
    outcomes = {
        Category.RED: red,
        Category.BLUE: blue,
        Category.GREY: grey,
        Category.BLACK: OrderOutcome.NOT_PRESCRIBED,
    }
    return PhaseRule(
        phase, MappingProxyType(outcomes), other, f"{SITE_DECISION} (framework: {CANADA_PLAN_SOURCE})", note
    )


_GREY_NOTE = "grey: usually with panel approval in the UK guideline (s15)"


@dataclass(frozen=True, slots=True)
class PhaseRules:
    rules: tuple[PhaseRule, ...]

    def __post_init__(self) -> None:
        missing = set(Phase) - {r.phase for r in self.rules}
        if missing:
            raise ValueError(f"phase rules are missing for: {', '.join(sorted(missing))}")

    def for_phase(self, phase: Phase) -> PhaseRule:
        return next(r for r in self.rules if r.phase is phase)

    def replaced(self, rules: Iterable[PhaseRule]) -> PhaseRules:
        """Return these rules with the given phases' rules replaced (the site's own)."""
        new = {r.phase: r for r in self.rules} | {r.phase: r for r in rules}
        return PhaseRules(tuple(new[p] for p in Phase))


def default_rules() -> PhaseRules:
    """The defaults, every one a site decision: red always proceeds; blue needs approval in Amber and
    waits in Red; grey needs approval, and waits from Amber; Recovery keeps Amber's rules until Green."""
    return PhaseRules(
        (
            _rule(Phase.GREEN, _P, _P, _A, _P, _GREY_NOTE),
            _rule(Phase.GREEN_ADVISORY, _P, _P, _A, _A, _GREY_NOTE),
            _rule(Phase.AMBER, _P, _A, _W, _A, "blue changed or approved; grey deferred"),
            _rule(Phase.RED, _P, _W, _W, _A, "supply kept for red (s15)"),
            _rule(Phase.RECOVERY, _P, _A, _W, _A, "as Amber until Green is declared"),
        )
    )


@dataclass(frozen=True, slots=True)
class PhaseThresholds:
    """Days of stock (the low figure, under the upper demand band) below which a phase is suggested.

    No source gives numbers: every default is a site decision.
    """

    green_advisory_below_days: int = 28
    amber_below_days: int = 14
    red_below_days: int = 7
    source: str = SITE_DECISION

    def __post_init__(self) -> None:
        if not 0 < self.red_below_days < self.amber_below_days < self.green_advisory_below_days:
            raise ValueError("thresholds must fall: Green Advisory > Amber > Red > 0 days")

    def level(self, days: int | None) -> Phase:
        """The phase the days of stock point to (None: stock lasts beyond the horizon)."""
        if days is None or days >= self.green_advisory_below_days:
            return Phase.GREEN
        if days >= self.amber_below_days:
            return Phase.GREEN_ADVISORY
        if days >= self.red_below_days:
            return Phase.AMBER
        return Phase.RED


@dataclass(frozen=True, slots=True)
class PhaseSuggestion:
    current: Phase
    suggested: Phase | None  # None: no change suggested
    days_of_stock: int | None
    reason: str
    source: str = field(default=SITE_DECISION)

    @property
    def changes(self) -> bool:
        return self.suggested is not None


def suggest_phase(
    current: Phase,
    days_of_stock: int | None,
    thresholds: PhaseThresholds | None = None,
    horizon_days: int = 0,
) -> PhaseSuggestion:
    """Suggest a phase from days of stock: a worse level suggests that phase; from Amber or Red a better level
    suggests Recovery; from Recovery or Green Advisory a Green level suggests Green. People decide."""
    thresholds = thresholds or PhaseThresholds()
    level = thresholds.level(days_of_stock)
    days = f"more than {horizon_days}" if days_of_stock is None else str(days_of_stock)
    basis = (
        f"{days} days of stock (thresholds {thresholds.green_advisory_below_days}/"
        f"{thresholds.amber_below_days}/{thresholds.red_below_days} days, {thresholds.source})"
    )
    suggested: Phase | None = None
    if SEVERITY[level] > SEVERITY[current]:
        suggested = level
    elif current in (Phase.AMBER, Phase.RED) and SEVERITY[level] < SEVERITY[current]:
        suggested = Phase.RECOVERY if level is not Phase.AMBER else Phase.AMBER
    elif current in (Phase.RECOVERY, Phase.GREEN_ADVISORY) and level is Phase.GREEN:
        suggested = Phase.GREEN
    if suggested is current:
        suggested = None
    if suggested is None:
        return PhaseSuggestion(
            current, None, days_of_stock, f"{basis}: no change suggested", thresholds.source
        )
    return PhaseSuggestion(
        current, suggested, days_of_stock, f"{basis}: consider {suggested.label}", thresholds.source
    )

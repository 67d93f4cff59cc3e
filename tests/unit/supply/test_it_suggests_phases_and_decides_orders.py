"""Shortage phases: thresholds only suggest; each category's outcome per phase; black is never prescribed."""

from __future__ import annotations

import pytest

from ivig.clinical.supply import (
    SITE_DECISION,
    Category,
    CategoryMap,
    IndicationCategory,
    OrderOutcome,
    Phase,
    PhaseRule,
    PhaseThresholds,
    decide_for_indication,
    decide_order,
    default_rules,
    suggest_phase,
)

P, A, W, N = OrderOutcome.PROCEED, OrderOutcome.NEEDS_APPROVAL, OrderOutcome.WAIT, OrderOutcome.NOT_PRESCRIBED


@pytest.mark.parametrize(
    ("days", "level"),
    [
        (None, Phase.GREEN),
        (28, Phase.GREEN),
        (27, Phase.GREEN_ADVISORY),
        (14, Phase.GREEN_ADVISORY),
        (13, Phase.AMBER),
        (7, Phase.AMBER),
        (6, Phase.RED),
        (0, Phase.RED),
    ],
)
def test_it_maps_days_of_stock_to_a_level_at_the_thresholds(days: int | None, level: Phase) -> None:
    assert PhaseThresholds().level(days) is level


@pytest.mark.parametrize(
    ("current", "days", "suggested"),
    [
        (Phase.GREEN, 40, None),
        (Phase.GREEN, 20, Phase.GREEN_ADVISORY),
        (Phase.GREEN, 10, Phase.AMBER),
        (Phase.GREEN_ADVISORY, 3, Phase.RED),
        (Phase.AMBER, 10, None),
        (Phase.AMBER, 20, Phase.RECOVERY),
        (Phase.RED, None, Phase.RECOVERY),
        (Phase.RED, 10, Phase.AMBER),
        (Phase.RECOVERY, 20, None),
        (Phase.RECOVERY, 40, Phase.GREEN),
        (Phase.RECOVERY, 10, Phase.AMBER),
        (Phase.GREEN_ADVISORY, 40, Phase.GREEN),
    ],
)
def test_it_suggests_a_phase_change(current: Phase, days: int | None, suggested: Phase | None) -> None:
    suggestion = suggest_phase(current, days)
    assert suggestion.suggested is suggested
    assert suggestion.changes is (suggested is not None)
    assert SITE_DECISION in suggestion.reason


def test_it_uses_the_sites_thresholds() -> None:
    site = PhaseThresholds(
        green_advisory_below_days=60, amber_below_days=30, red_below_days=10, source="ours"
    )
    assert suggest_phase(Phase.GREEN, 45, site).suggested is Phase.GREEN_ADVISORY
    with pytest.raises(ValueError, match="thresholds must fall"):
        PhaseThresholds(green_advisory_below_days=10, amber_below_days=20)


EXPECTED = {
    Phase.GREEN: (P, P, A, N),
    Phase.GREEN_ADVISORY: (P, P, A, N),
    Phase.AMBER: (P, A, W, N),
    Phase.RED: (P, W, W, N),
    Phase.RECOVERY: (P, A, W, N),
}


@pytest.mark.parametrize("phase", list(Phase))
def test_it_decides_each_category_per_phase_by_default(phase: Phase) -> None:
    outcomes = tuple(
        decide_order(c, phase).outcome for c in (Category.RED, Category.BLUE, Category.GREY, Category.BLACK)
    )
    assert outcomes == EXPECTED[phase]
    assert SITE_DECISION in decide_order(Category.BLUE, phase).source


def test_it_never_prescribes_black_even_if_the_site_rule_says_proceed() -> None:
    lax = dict.fromkeys(Category, P)
    rules = default_rules().replaced(PhaseRule(p, lax, P, "ours") for p in Phase)
    for phase in Phase:
        assert decide_order(Category.BLUE, phase, rules).outcome is P
        decision = decide_order(Category.BLACK, phase, rules)
        assert decision.outcome is N and not decision.proceeds
        assert "not prescribed" in decision.reason


def test_it_asks_approval_for_an_uncategorised_indication_outside_green() -> None:
    assert decide_order(None, Phase.GREEN).outcome is P
    for phase in (Phase.GREEN_ADVISORY, Phase.AMBER, Phase.RED, Phase.RECOVERY):
        assert decide_order(None, phase).outcome is A


def test_it_reads_the_category_from_the_sites_mapping() -> None:
    mapping = CategoryMap.of(
        [
            IndicationCategory("pi", Category.RED, "regional list 2025"),
            IndicationCategory("mmn", Category.BLUE, "regional list 2025"),
        ]
    )
    assert decide_for_indication("mmn", Phase.RED, mapping).outcome is W
    assert decide_for_indication("pi", Phase.RED, mapping).outcome is P
    assert mapping.row_for("pi").source == "regional list 2025"  # type: ignore[union-attr]


def test_it_refuses_a_mapping_without_source_or_with_duplicates() -> None:
    with pytest.raises(ValueError, match="needs its source"):
        IndicationCategory("pi", Category.RED, " ")
    with pytest.raises(ValueError, match="more than one category"):
        CategoryMap.of(
            [IndicationCategory("pi", Category.RED, "a"), IndicationCategory("pi", Category.BLUE, "b")]
        )


def test_it_needs_rules_for_every_phase() -> None:
    from ivig.clinical.supply import PhaseRules

    with pytest.raises(ValueError, match="missing"):
        PhaseRules(default_rules().rules[:2])

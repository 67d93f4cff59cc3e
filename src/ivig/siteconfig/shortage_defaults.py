"""The shipped phase rules: the supply core's defaults, each a site decision (reference s15 gives no rules per
phase: the Canadian plan leaves allocation to each committee). An Admin changes them on the shortage page."""

from __future__ import annotations

from ivig.clinical.supply import Category, default_rules

UNASSIGNED = "unassigned"  # the rules' key for an indication no one has given a category yet
RULE_CATEGORIES = (Category.RED.value, Category.BLUE.value, Category.GREY.value, UNASSIGNED)

# {phase: {category or "unassigned": outcome}}, from ivig.clinical.supply.default_rules().
DEFAULT_RULES: dict[str, dict[str, str]] = {
    rule.phase.value: {
        **{c.value: rule.outcomes[c].value for c in (Category.RED, Category.BLUE, Category.GREY)},
        UNASSIGNED: rule.uncategorised.value,
    }
    for rule in default_rules().rules
}

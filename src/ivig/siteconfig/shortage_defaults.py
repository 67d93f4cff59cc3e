"""The shipped phase rules: a site decision to start from, not the text of any national plan (reference s15).

Reference s15 says red indications are the ones supply is reserved for in a shortage, blue ones are modified,
grey ones are decided case by case, usually by a panel, and black ones are not prescribed. How strictly each
phase applies that is each site's (or region's) committee decision, so these defaults are marked as such and an
Admin changes them on the shortage policy page.
"""

from __future__ import annotations

DEFAULTS_SOURCE = "site decision: ivig's shipped defaults (docs/supply.md), not a national list"

# {phase: {category: decision}}; "unassigned": an indication the site has not given a category yet.
DEFAULT_RULES: dict[str, dict[str, str]] = {
    "green": {"red": "proceed", "blue": "proceed", "grey": "proceed", "unassigned": "proceed"},
    "green_advisory": {"red": "proceed", "blue": "proceed", "grey": "approval", "unassigned": "proceed"},
    "amber": {"red": "proceed", "blue": "approval", "grey": "wait", "unassigned": "approval"},
    "red": {"red": "proceed", "blue": "wait", "grey": "wait", "unassigned": "wait"},
    "recovery": {"red": "proceed", "blue": "proceed", "grey": "approval", "unassigned": "approval"},
}

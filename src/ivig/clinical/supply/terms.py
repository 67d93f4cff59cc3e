"""The shared vocabulary of shortage management: priority categories, inventory phases, order outcomes."""

from __future__ import annotations

from enum import StrEnum

UK_DH_SOURCE = (
    "UK Department of Health, Clinical guidelines for immunoglobulin use, 2nd edition 2008, update 2011 "
    "(docs/reference/supply.md s15)"
)
CANADA_PLAN_SOURCE = (
    "National Plan for Management of Shortages of Immunoglobulin Products, Canada, interim guidance "
    "2020-07-27 (docs/reference/supply.md s15)"
)
SITE_DECISION = "site decision"


class Category(StrEnum):
    """Priority colours of indications (UK demand management programme, s15)."""

    RED = "red"
    BLUE = "blue"
    GREY = "grey"
    BLACK = "black"


class Phase(StrEnum):
    """Inventory phases of the Canadian national plan (s15), in order of severity; Recovery last."""

    GREEN = "green"
    GREEN_ADVISORY = "green-advisory"
    AMBER = "amber"
    RED = "red"
    RECOVERY = "recovery"

    @property
    def label(self) -> str:
        return self.value.replace("-", " ").capitalize()


class OrderOutcome(StrEnum):
    """What happens to an order under the current phase."""

    PROCEED = "proceed"
    NEEDS_APPROVAL = "needs-approval"  # a panel or the committee approves before it is given
    WAIT = "wait"  # deferred until the phase eases (or approved as an exception)
    NOT_PRESCRIBED = "not-prescribed"  # black: immunoglobulin is not appropriate

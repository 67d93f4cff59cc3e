"""Fixtures for the adverse-event register: reports opened the real way, from the flowsheet and the diary."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from ivig import clock
from tests.drivers.infusions import running


@pytest.fixture
def flowsheet_reaction(dispensed_order: Any, fixed_clock: Any) -> Callable[..., Any]:
    """Record a reaction on a running infusion (lots G20A and F05A scanned); returns the Reaction."""
    from ivig.infusions import reaction_actions

    def make(*, grade: int = 2, anaphylaxis: bool = False) -> Any:
        session = running(dispensed_order)
        fixed_clock.advance(minutes=20)
        return reaction_actions.record_reaction(
            by=dispensed_order.nurse,
            session=session,
            onset_at=clock.now(),
            grade=grade,
            symptoms=["fever", "chills"],
            anaphylaxis_suspected=anaphylaxis,
        )

    return make


@pytest.fixture
def diary_reaction(
    make_user: Callable[..., Any], make_dispensed_order: Callable[..., Any]
) -> Callable[..., Any]:
    """Confirm a reaction from a follow-up call; returns the Contact (its .reaction is the DiaryReaction)."""
    from ivig.followup.actions import record_contact, start_follow_up
    from ivig.followup.models import Contact

    def make(*, grade: int = 2, description: str = "Headache and vomiting the day after") -> Any:
        order = make_dispensed_order()
        nurse = make_user("Nurse", username=f"nurse-{order.pk}")
        follow_up = start_follow_up(by=nurse, order=order, ended_at=clock.now() - timedelta(hours=20))
        return record_contact(
            by=nurse,
            follow_up=follow_up,
            entry=None,
            outcome=Contact.Outcome.REACTION,
            notes="Called the family",
            reaction_description=description,
            reaction_grade=grade,
        )

    return make


@pytest.fixture
def quality(make_user: Callable[..., Any]) -> Any:
    return make_user("Quality", username="qa-reviewer")


def reviewed(report: Any, by: Any, **changes: Any) -> Any:
    """Take a report through review with the given changes (causality 'probable' unless told)."""
    from ivig.hemovigilance import actions

    values = {"causality": "probable", "outcome": "recovered"} | changes
    report = actions.update_report(by=by, report=report, expected_version=report.version, changes=values)
    return actions.complete_review(by=by, report=report)

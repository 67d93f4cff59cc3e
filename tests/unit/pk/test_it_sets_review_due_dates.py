"""Review dates: ongoing therapy at 6 months then yearly (Ontario); course outcomes by a site deadline."""

from __future__ import annotations

from datetime import date

import pytest

from ivig.clinical.outcomes.reviews import (
    REVIEW_KIND_BY_REGIMEN,
    ReviewKind,
    ReviewSettings,
    add_months,
    review_due,
)
from ivig.clinical.regimens import all_regimens


def test_it_has_a_review_rule_for_every_regimen() -> None:
    assert set(REVIEW_KIND_BY_REGIMEN) == set(all_regimens())


@pytest.mark.parametrize("regimen", ["pi", "sid", "cidp-maintenance", "mmn", "dm"])
def test_it_reviews_ongoing_therapy_at_6_months_then_yearly(regimen: str) -> None:
    first = review_due(regimen, started=date(2025, 1, 15))
    assert first.kind is ReviewKind.ONGOING and first.due == date(2025, 7, 15)
    later = review_due(regimen, started=date(2025, 1, 15), last_review=date(2025, 7, 20))
    assert later.due == date(2026, 7, 20) and "lowest effective dose" in later.reason


def test_it_keeps_month_ends_inside_the_month() -> None:
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)


@pytest.mark.parametrize("regimen", ["itp", "kawasaki", "gbs", "measles-exposure", "cidp-loading"])
def test_it_asks_for_a_course_outcome_by_the_site_deadline(regimen: str) -> None:
    unset = review_due(regimen, started=date(2025, 1, 15))
    assert unset.kind is ReviewKind.COURSE and unset.due is None and "not set" in unset.reason
    set_ = review_due(regimen, started=date(2025, 1, 15), settings=ReviewSettings(course_outcome_due_days=30))
    assert set_.due == date(2025, 2, 14)


def test_it_refuses_unknown_regimens_and_reviews_before_the_start() -> None:
    with pytest.raises(ValueError, match="unknown regimen"):
        review_due("asthma", started=date(2025, 1, 1))
    with pytest.raises(ValueError, match="before the start"):
        review_due("pi", started=date(2025, 1, 1), last_review=date(2024, 1, 1))


@pytest.mark.parametrize("regimen", ["itp", "kawasaki", "gbs"])
def test_it_asks_nothing_more_once_a_course_outcome_is_recorded(regimen: str) -> None:
    done = review_due(
        regimen,
        started=date(2025, 1, 15),
        last_review=date(2025, 2, 1),
        settings=ReviewSettings(course_outcome_due_days=30),
    )
    assert done.recorded and done.due is None and "2025-02-01" in done.reason
    assert not review_due(regimen, started=date(2025, 1, 15)).recorded

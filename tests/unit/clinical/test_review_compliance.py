"""Outcome-recording compliance for one patient's regimen (clinical.outcomes.compliance)."""

from __future__ import annotations

from datetime import date

import pytest

from ivig.clinical.outcomes.compliance import Compliance, review_compliance
from ivig.clinical.outcomes.reviews import ReviewSettings

YEAR_2026 = {"period_start": date(2026, 1, 1), "period_end": date(2026, 12, 31), "today": date(2026, 12, 31)}


def test_it_follows_ongoing_therapy_from_the_6_month_review_to_the_yearly_one():
    # Started 2025-10-01: due 2026-04-01, recorded 2026-04-10 (late); next due 2027-04-10 (after the period).
    result = review_compliance("pi", started=date(2025, 10, 1), reviews=[date(2026, 4, 10)], **YEAR_2026)

    assert result == Compliance(due=1, recorded=1, on_time=0)


def test_it_counts_an_early_review_as_on_time_and_the_next_one_due():
    # Started 2025-01-15: due 2025-07-15 (before the period), reviewed 2025-07-01; next due 2026-07-01.
    result = review_compliance(
        "cidp-maintenance", started=date(2025, 1, 15), reviews=[date(2025, 7, 1)], **YEAR_2026
    )

    assert result == Compliance(due=1, recorded=0, on_time=0)
    assert result.outstanding == 1


def test_it_counts_only_reviews_due_by_today():
    result = review_compliance(
        "pi",
        started=date(2026, 3, 1),
        reviews=[],
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        today=date(2026, 8, 1),
    )

    assert result == Compliance()  # due 2026-09-01, after today


def test_it_needs_a_course_outcome_and_checks_the_sites_deadline():
    course = {"started": date(2026, 2, 1), **YEAR_2026}

    assert review_compliance("itp", reviews=[], **course) == Compliance(due=1)
    assert review_compliance("itp", reviews=[date(2026, 3, 15)], **course) == Compliance(1, 1, 1)
    late = review_compliance("itp", reviews=[date(2026, 3, 15)], settings=ReviewSettings(30), **course)
    assert late == Compliance(due=1, recorded=1, on_time=0)


def test_it_refuses_a_period_that_ends_before_it_starts():
    with pytest.raises(ValueError, match="ends before"):
        review_compliance(
            "pi",
            started=date(2025, 1, 1),
            reviews=[],
            period_start=date(2026, 2, 1),
            period_end=date(2026, 1, 1),
            today=date(2026, 6, 1),
        )

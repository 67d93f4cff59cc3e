"""Severity and first-guess seriousness of an adverse-event report from the CTCAE grade."""

from __future__ import annotations

import pytest

from ivig.clinical.adverse_events import Criterion, Severity, initial_criteria, severity_for_grade


@pytest.mark.parametrize(
    ("grade", "severity"),
    [
        (1, Severity.MILD),
        (2, Severity.MODERATE),
        (3, Severity.SEVERE),
        (4, Severity.SEVERE),
        (5, Severity.SEVERE),
    ],
)
def test_it_maps_each_ctcae_grade_to_a_fhir_severity(grade, severity):
    assert severity_for_grade(grade) is severity


@pytest.mark.parametrize(
    ("grade", "flagged", "criteria"),
    [
        (1, False, set()),
        (2, False, set()),
        (2, True, {Criterion.OTHER}),
        (3, False, {Criterion.OTHER}),
        (4, False, {Criterion.LIFE_THREATENING}),
        (5, True, {Criterion.DEATH}),
    ],
)
def test_it_starts_a_report_with_the_seriousness_the_grade_implies(grade, flagged, criteria):
    assert initial_criteria(grade, flagged_serious=flagged) == criteria


@pytest.mark.parametrize("grade", [0, 6, -1])
def test_it_refuses_a_grade_outside_ctcae(grade):
    with pytest.raises(ValueError, match="CTCAE"):
        severity_for_grade(grade)
    with pytest.raises(ValueError, match="CTCAE"):
        initial_criteria(grade)

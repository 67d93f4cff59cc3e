"""The review workflow: new -> in review -> reviewed -> reported or closed; wrong steps are refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from ivig.audit.models import AuditEvent
from ivig.hemovigilance import actions
from ivig.hemovigilance.actions import ReviewError
from ivig.hemovigilance.models import AdverseEventReport
from tests.plugins.adverse_events import reviewed


def _report(flowsheet_reaction, **kwargs):
    return flowsheet_reaction(**kwargs).adverse_event.report


def test_it_reviews_and_reports_to_the_regulator(flowsheet_reaction, quality):
    report = _report(flowsheet_reaction, grade=2)
    report = actions.start_review(by=quality, report=report)
    assert (report.status, report.review_started_by) == ("in_review", quality)

    report = actions.update_report(
        by=quality,
        report=report,
        expected_version=report.version,
        changes={"serious_hospitalisation": True, "causality": "probable", "outcome": "recovered"},
    )
    assert report.serious and report.serious_hospitalisation
    report = actions.complete_review(by=quality, report=report)
    assert (report.status, report.reviewed_by) == ("reviewed", quality)
    today = timezone.localdate()
    report = actions.mark_reported(by=quality, report=report, reported_on=today, reference=" MW-2026-001 ")

    report.refresh_from_db()
    assert (report.status, report.regulator_reported_on, report.regulator_reference) == (
        "reported",
        today,
        "MW-2026-001",
    )
    assert report.reported_by == quality and report.reported_at is not None
    assert list(
        AuditEvent.objects.filter(target_id=str(report.pk), target_type="hemovigilance.AdverseEventReport")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        "hemovigilance.ae_open",
        "hemovigilance.ae_review_start",
        "hemovigilance.ae_update",
        "hemovigilance.ae_reviewed",
        "hemovigilance.ae_reported",
    ]


def test_an_edit_moves_a_new_report_into_review_and_closing_needs_a_reason(flowsheet_reaction, quality):
    report = _report(flowsheet_reaction)
    report = actions.update_report(
        by=quality, report=report, expected_version=report.version, changes={"causality": "unlikely"}
    )
    assert report.status == "in_review" and report.review_started_by == quality
    report = actions.complete_review(by=quality, report=report)

    with pytest.raises(ReviewError, match="why"):
        actions.close_report(by=quality, report=report, reason="   ")
    report = actions.close_report(by=quality, report=report, reason="Expected, non-serious reaction")

    assert (report.status, report.closed_reason, report.closed_by) == (
        "closed",
        "Expected, non-serious reaction",
        quality,
    )


def test_it_refuses_steps_out_of_order(flowsheet_reaction, quality):
    report = _report(flowsheet_reaction)
    today = timezone.localdate()
    with pytest.raises(ReviewError, match="in review"):
        actions.complete_review(by=quality, report=report)
    with pytest.raises(ReviewError, match="reviewed report"):
        actions.mark_reported(by=quality, report=report, reported_on=today, reference="X")
    with pytest.raises(ReviewError, match="reviewed report"):
        actions.close_report(by=quality, report=report, reason="duplicate")
    report = actions.start_review(by=quality, report=report)
    with pytest.raises(ReviewError, match="already in review"):
        actions.start_review(by=quality, report=report)
    with pytest.raises(ReviewError, match="causality"):
        actions.complete_review(by=quality, report=report)

    report.refresh_from_db()
    assert report.status == "in_review" and report.reviewed_at is None


def test_it_refuses_to_edit_a_decided_report(flowsheet_reaction, quality):
    report = reviewed(_report(flowsheet_reaction), quality)
    report = actions.close_report(by=quality, report=report, reason="Not reportable")

    with pytest.raises(ReviewError, match="no longer be edited"):
        actions.update_report(
            by=quality, report=report, expected_version=report.version, changes={"grade": 3}
        )
    assert AdverseEventReport.objects.get(pk=report.pk).grade == 2


def test_it_refuses_a_bad_report_date_and_reference(flowsheet_reaction, quality):
    report = reviewed(_report(flowsheet_reaction), quality)
    tomorrow = timezone.localdate() + timedelta(days=1)

    with pytest.raises(ReviewError, match="between the onset and today"):
        actions.mark_reported(by=quality, report=report, reported_on=tomorrow, reference="MW-1")
    with pytest.raises(ReviewError, match="reference"):
        actions.mark_reported(by=quality, report=report, reported_on=timezone.localdate(), reference=" ")
    report.refresh_from_db()
    assert report.status == "reviewed" and report.regulator_reference == ""


def test_it_keeps_death_and_a_fatal_outcome_together(flowsheet_reaction, quality):
    report = _report(flowsheet_reaction)

    with pytest.raises(ReviewError, match="fatal"):
        actions.update_report(
            by=quality, report=report, expected_version=report.version, changes={"outcome": "fatal"}
        )
    report = actions.update_report(
        by=quality,
        report=report,
        expected_version=report.version,
        changes={"outcome": "fatal", "serious_death": True, "died_on": timezone.localdate(), "grade": 5},
    )
    assert report.serious and report.grade == 5


def test_it_refuses_a_stale_edit(flowsheet_reaction, quality):
    report = _report(flowsheet_reaction)
    stale = report.version
    actions.update_report(by=quality, report=report, expected_version=stale, changes={"grade": 3})

    with pytest.raises(ReviewError, match="Someone else"):
        actions.update_report(by=quality, report=report, expected_version=stale, changes={"grade": 1})
    assert AdverseEventReport.objects.get(pk=report.pk).grade == 3


def test_the_database_wants_a_source_and_paired_reviewers(flowsheet_reaction, quality):
    report = _report(flowsheet_reaction)

    for change in (
        {"flowsheet_event": None},  # none
        {"reviewed_by": quality},  # who without when
        {"reviewed_at": timezone.now()},  # when without who
        {"serious": True},  # serious without a criterion
        {"status": "reported"},  # reported without a date, a reference or a review
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            AdverseEventReport.objects.filter(pk=report.pk).update(**change)

"""Demo: take some of the year's adverse-event reports through Quality's review, so every state shows."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from ivig.hemovigilance import actions
from ivig.hemovigilance.models import AdverseEventReport

Report = AdverseEventReport
Status = AdverseEventReport.Status


def review_demo_reports(users: dict[str, Any], today: date) -> int:
    """Review the oldest non-serious reports: one reported, one closed, one in review; the rest stay new.

    Does nothing once any report has left "new", so loading the demo again changes nothing.
    """
    if Report.objects.exclude(status=Status.NEW).exists():
        return 0
    quality = users["Quality"]
    oldest = list(Report.objects.filter(serious=False).order_by("onset_at", "pk")[:3])
    for step, report in enumerate(oldest):
        report = actions.update_report(
            by=quality,
            report=report,
            expected_version=report.version,
            changes={
                "outcome": Report.Outcome.RECOVERED,
                "causality": Report.Causality.PROBABLE if step == 0 else Report.Causality.POSSIBLE,
                "reviewer_notes": "Reviewed with the infusion record and the follow-up notes.",
            },
        )
        if step == 2:
            continue  # left in review
        report = actions.complete_review(by=quality, report=report)
        onset_on = timezone.localdate(report.onset_at)
        if step == 0:
            actions.mark_reported(
                by=quality,
                report=report,
                reported_on=min(onset_on + timedelta(days=7), today),
                reference="DEMO-AE-0001",
            )
        else:
            actions.close_report(
                by=quality, report=report, reason="Expected, non-serious reaction listed on the label."
            )
    return len(oldest)

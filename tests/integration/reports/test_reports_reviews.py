"""Authorisations ending in the next 30/60/90 days, and outcome-recording compliance per indication."""

from __future__ import annotations

from datetime import date, timedelta

from ivig.orders.models import Authorisation, TherapyOrder
from ivig.outcomes.models import OutcomeReview
from ivig.reports.period import Period
from ivig.reports.reviews import bucket_counts, expiring_authorisations, review_compliance_by_indication
from tests.plugins.reports import at, dispensed, usage_data

TODAY = date(2026, 6, 1)


def _decide(order, approver, valid_until, *, approved=True, hours=0):
    return Authorisation.objects.create(
        order=order,
        approved=approved,
        reason="panel",
        valid_until=valid_until,
        decided_by=approver,
        decided_at=at(date(2026, 5, 1), 9 + hours),
    )


def test_it_lists_each_orders_latest_approval_ending_within_90_days(db, make_user, make_patient):
    data = usage_data(make_user, make_patient)
    approver = make_user("Approver")
    one, two, three, four = data.orders
    _decide(one, approver, TODAY + timedelta(days=10))
    _decide(two, approver, TODAY + timedelta(days=45))
    _decide(three, approver, TODAY + timedelta(days=20))
    _decide(three, approver, None, approved=False, hours=1)  # refused later: its latest decision
    _decide(four, approver, TODAY + timedelta(days=100))  # beyond 90 days
    cancelled = dispensed(data, data.patients[2], "mmn", data.lots["privigen"], 1, date(2026, 5, 2), approver)
    TherapyOrder.objects.filter(pk=cancelled.pk).update(status="cancelled")
    _decide(cancelled, approver, TODAY + timedelta(days=5))
    ended = dispensed(data, data.patients[2], "mmn", data.lots["privigen"], 1, date(2026, 5, 3), approver)
    _decide(ended, approver, TODAY - timedelta(days=1))  # already ended

    table = expiring_authorisations(TODAY)

    assert [(row[0], row[1], row[2], row[5]) for row in table.rows] == [
        ("2026-06-11", 10, "within 30 days", one.reference),
        ("2026-07-16", 45, "within 60 days", two.reference),
    ]
    assert bucket_counts(table) == [("within 30 days", 1), ("within 60 days", 1), ("within 90 days", 0)]


def test_it_counts_reviews_due_and_recorded_per_indication(db, make_user, make_patient):
    data = usage_data(make_user, make_patient)
    one = data.patients[0]
    ann = data.users["Ann"]
    # Patient one: PI since 2025-09-01, review due 2026-03-01, recorded late on 2026-03-20.
    dispensed(data, one, "pi", data.lots["privigen"], 1, date(2025, 9, 1), ann)
    OutcomeReview.objects.create(
        patient=one, indication="pi", reviewed_on=date(2026, 3, 20), outcome="effective", decision="continue"
    )
    # Patient two: ITP course on 2026-04-20 (usage_data), outcome not recorded.
    # Patient three: CIDP since 2025-01-05: due 2025-07-05 (before the period), nothing recorded since, so
    # the yearly review is not scheduled: the first one stays outstanding and is not counted again here.
    period = Period(date(2026, 1, 1), date(2026, 6, 30))

    table = review_compliance_by_indication(period, TODAY)

    assert table.rows == [
        ("Immune thrombocytopenia (ITP)", 1, 0, 0, 1, 0.0),
        ("Primary immunodeficiency", 1, 1, 0, 0, 100.0),
    ]
    assert table.total == ("All indications", 2, 1, 0, 1, 50.0)

"""What each person has to do next, as bounded lists of orders (one query per list, no N+1).

Sections follow what the user may do (permissions), not role names, so a user with two roles sees both.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Case, DateField, Exists, F, OuterRef, Q, QuerySet, Subquery, When

from ivig import clock
from ivig.accounts.roles import APPROVE_ORDER, PRESCRIBE, VERIFY_ORDER
from ivig.orders.models import Authorisation, TherapyOrder
from ivig.orders.sent_back import sent_back_to

# A section lists at most this many orders and says how many more there are.
SECTION_LIMIT = 100

Status = TherapyOrder.Status
# A renewal concerns an order that was (or still is) going to be given, not one withdrawn.
RENEWABLE = (Status.SIGNED, Status.VERIFIED, Status.DISPENSED, Status.IN_PROGRESS, Status.COMPLETED)


def renewal_notice_days() -> int:
    return int(getattr(settings, "IVIG_RENEWAL_NOTICE_DAYS", 30))


@dataclass
class Section:
    key: str
    title: str
    empty: str
    orders: list[TherapyOrder] = field(default_factory=list)
    total: int = 0
    action: str = ""  # "decide", "renew" or "revise": the row's button

    @property
    def truncated(self) -> bool:
        return self.total > len(self.orders)


def with_authorisation(orders: QuerySet[TherapyOrder]) -> QuerySet[TherapyOrder]:
    """Add the latest decision on each order (`auth_approved`, `auth_valid_until`, `auth_reason`)."""
    latest = Authorisation.objects.filter(order=OuterRef("pk")).order_by("-decided_at", "-id")
    return orders.annotate(
        auth_approved=Subquery(latest.values("approved")[:1]),
        auth_valid_until=Subquery(latest.values("valid_until")[:1]),
        auth_reason=Subquery(latest.values("reason")[:1]),
    )


def _base() -> QuerySet[TherapyOrder]:
    return with_authorisation(TherapyOrder.objects.select_related("patient"))


def _fill(section: Section, orders: QuerySet[TherapyOrder], today: date) -> Section:
    rows = list(orders[: SECTION_LIMIT + 1])
    section.total = len(rows) if len(rows) <= SECTION_LIMIT else orders.count()
    section.orders = rows[:SECTION_LIMIT]
    for order in section.orders:
        valid_until = getattr(order, "auth_valid_until", None)
        order.authorisation_ended = bool(  # type: ignore[attr-defined]
            order.approval_required and valid_until is not None and valid_until < today
        )
    return section


def sent_back_to_me(user: Any) -> QuerySet[TherapyOrder]:
    """Orders I signed that a nurse sent back from the bedside, with the reason; held until replaced."""
    return sent_back_to(user, _base())


def my_drafts(user: Any) -> QuerySet[TherapyOrder]:
    return _base().filter(created_by=user, status=Status.DRAFT).order_by("-updated_at", "-id")


def my_awaiting_or_refused(user: Any) -> QuerySet[TherapyOrder]:
    """Orders I signed that wait for a decision, or were refused and have no newer version yet."""
    newer = TherapyOrder.objects.filter(previous=OuterRef("pk")).exclude(status=Status.CANCELLED)
    return (
        _base()
        .filter(prescriber=user, status__in=[Status.AWAITING_APPROVAL, Status.REFUSED])
        .exclude(Exists(newer))
        .order_by("signed_at", "id")
    )


def renewals_due(user: Any, today: date, notice_days: int | None = None) -> QuerySet[TherapyOrder]:
    """My orders whose authorisation ends, or whose review date falls, within the notice window.

    The window also looks back as far as it looks ahead, so an authorisation that has just lapsed still shows.
    An order drops off once a later order for the same patient and regimen exists (the renewal was started).
    """
    days = renewal_notice_days() if notice_days is None else notice_days
    window = (today - timedelta(days=days), today + timedelta(days=days))
    later = TherapyOrder.objects.filter(
        patient=OuterRef("patient"), regimen=OuterRef("regimen"), created_at__gt=OuterRef("created_at")
    ).exclude(status=Status.CANCELLED)
    return (
        _base()
        .filter(prescriber=user, status__in=RENEWABLE)
        .filter(
            Q(approval_required=True, auth_approved=True, auth_valid_until__range=window)
            | Q(review_date__range=window)
        )
        .exclude(Exists(later))
        .annotate(due_on=_earlier("auth_valid_until", "review_date"))
        .order_by("due_on", "id")
    )


def _earlier(first: str, second: str) -> Case:
    """The earlier of two dates, either of which may be missing (LEAST differs on NULL between databases)."""
    return Case(
        When(**{f"{first}__isnull": True}, then=F(second)),
        When(**{f"{second}__isnull": True}, then=F(first)),
        When(**{f"{first}__lt": F(second)}, then=F(first)),
        default=F(second),
        output_field=DateField(),
    )


def to_verify() -> QuerySet[TherapyOrder]:
    return _base().filter(status=Status.SIGNED).order_by("signed_at", "id")


def to_dispense() -> QuerySet[TherapyOrder]:
    return _base().filter(status=Status.VERIFIED).order_by("verified_at", "id")


def to_decide() -> QuerySet[TherapyOrder]:
    return _base().filter(status=Status.AWAITING_APPROVAL).order_by("signed_at", "id")


def vials_awaiting_dispense(limit: int = SECTION_LIMIT) -> Counter[tuple[str, str]]:
    """Vials the verified orders waiting for the pharmacy need, by (product slug, vial size as text).

    Read from each verified plan in one query (the oldest `limit` orders, as the worklist shows them).
    """
    needed: Counter[tuple[str, str]] = Counter()
    rows = to_dispense().values_list("verified_product_slug", "verified_plan")[:limit]
    for slug, plan in rows:
        for day in (plan or {}).get("days", []):
            for vial in day.get("vials", []):
                size = f"{Decimal(str(vial['size_g'])).normalize():f}"
                needed[(slug, size)] += int(vial["count"])
    return needed


def sections_for(user: Any, today: date | None = None) -> list[Section]:
    """The worklist sections this user may act on, in the order of the day's work."""
    today = today or clock.localdate()
    sections: list[Section] = []
    if user.has_perm(PRESCRIBE):
        days = renewal_notice_days()
        sections += [
            _fill(
                Section(
                    "sent_back",
                    "Sent back to me",
                    "Nothing sent back.",
                    action="revise",
                ),
                sent_back_to_me(user),
                today,
            ),
            _fill(Section("drafts", "My drafts", "No drafts."), my_drafts(user), today),
            _fill(
                Section("awaiting", "My orders awaiting approval or refused", "None waiting or refused."),
                my_awaiting_or_refused(user),
                today,
            ),
            _fill(
                Section(
                    "renewals",
                    f"Renewals due (within {days} days)",
                    "No authorisation or review falls due.",
                    action="renew",
                ),
                renewals_due(user, today, days),
                today,
            ),
        ]
    if user.has_perm(VERIFY_ORDER):
        sections += [
            _fill(Section("verify", "To verify", "Nothing to verify."), to_verify(), today),
            _fill(Section("dispense", "To dispense", "Nothing to dispense."), to_dispense(), today),
        ]
    if user.has_perm(APPROVE_ORDER):
        sections.append(
            _fill(
                Section("decide", "To decide", "Nothing awaits approval.", action="decide"),
                to_decide(),
                today,
            )
        )
    return sections

"""Each person's home page: today's work as panels (a count, the first rows, a link to the whole list).

Panels follow permissions, like the worklists, so a user with two roles sees both. Every panel reads the
public query of the page it links to, so the count here is the count there; each costs at most a few
queries whatever the data (two per list: the first rows, and a count only when there are more).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from ivig import clock
from ivig.accounts import roles
from ivig.audit.models import AuditEvent
from ivig.conservation.models import SwitchNotice
from ivig.followup import worklist as followup_worklist
from ivig.hemovigilance import register
from ivig.infusions import worklist as infusion_worklist
from ivig.infusions.actions import next_day
from ivig.inventory.models import Lot
from ivig.inventory.queries import EXPIRY_ALERT_DAYS, expiring_by, usable_vials_by_size
from ivig.orders import worklists
from ivig.orders.models import TherapyOrder
from ivig.patients.models import Patient
from ivig.scheduling.actions import BOOKABLE
from ivig.scheduling.models import Appointment, RouteStop

ROWS = 5  # the first rows of each list; the link opens the rest


@dataclass(frozen=True)
class Row:
    label: str
    url: str
    detail: str = ""
    alert: bool = False


@dataclass
class Panel:
    key: str
    title: str
    link: str
    empty: str
    total: int = 0
    rows: list[Row] = field(default_factory=list)
    link_label: str = "See all"

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def _first(items: QuerySet[Any]) -> tuple[list[Any], int]:
    """The first ROWS items and the total, with a count query only when there are more."""
    rows = list(items[: ROWS + 1])
    total = len(rows) if len(rows) <= ROWS else items.count()
    return rows[:ROWS], total


def _panel(
    key: str, title: str, link: str, empty: str, items: QuerySet[Any], row: Callable[[Any], Row]
) -> Panel:
    found, total = _first(items)
    return Panel(key, title, link, empty, total=total, rows=[row(item) for item in found])


def _who(patient: Any) -> str:
    return f"{patient.family_name.upper()}, {patient.given_name} ({patient.mrn})"


def _order_row(detail: Callable[[Any], str]) -> Callable[[Any], Row]:
    return lambda order: Row(
        f"{order.reference} · {_who(order.patient)}", reverse("orders:detail", args=[order.pk]), detail(order)
    )


def _signed(order: Any) -> str:
    return f"signed {timezone.localtime(order.signed_at):%Y-%m-%d %H:%M}" if order.signed_at else ""


def prescriber_panels(user: Any, today: date) -> list[Panel]:
    worklist = reverse("orders:worklist")
    sent_back = _panel(
        "sent_back",
        "Sent back to me",
        worklist + "#sent_back",
        "Nothing sent back.",
        worklists.sent_back_to_me(user),
        lambda order: Row(
            f"{order.reference} · {_who(order.patient)}",
            reverse("orders:detail", args=[order.pk]),
            f"day {order.sent_back_day} sent back by {order.sent_back_by_first} {order.sent_back_by_last}: "
            f"{order.sent_back_reason}",
            alert=True,
        ),
    )
    return [
        sent_back,
        _panel(
            "drafts",
            "My drafts",
            worklist + "#drafts",
            "No drafts.",
            worklists.my_drafts(user),
            _order_row(lambda o: f"changed {timezone.localtime(o.updated_at):%Y-%m-%d %H:%M}"),
        ),
        _panel(
            "awaiting",
            "Awaiting approval or refused",
            worklist + "#awaiting",
            "None waiting or refused.",
            worklists.my_awaiting_or_refused(user),
            _order_row(
                lambda o: o.get_status_display() + (f": {o.auth_reason}" if o.status == "refused" else "")
            ),
        ),
        _panel(
            "renewals",
            "Renewals due",
            worklist + "#renewals",
            "No authorisation or review falls due.",
            worklists.renewals_due(user, today),
            _order_row(lambda o: f"due {o.due_on:%Y-%m-%d}" if o.due_on else ""),
        ),
    ]


def pharmacy_panels(today: date) -> list[Panel]:
    worklist = reverse("orders:worklist")
    return [
        _panel(
            "verify",
            "To verify",
            worklist + "#verify",
            "Nothing to verify.",
            worklists.to_verify(),
            _order_row(_signed),
        ),
        _panel(
            "dispense",
            "To dispense",
            worklist + "#dispense",
            "Nothing to dispense.",
            worklists.to_dispense(),
            _order_row(lambda o: f"verified {timezone.localtime(o.verified_at):%Y-%m-%d %H:%M}"),
        ),
    ]


def stock_panel(today: date) -> Panel:
    """Vial sizes short for the orders to dispense, then lots expired or expiring within the first band."""
    stock = reverse("inventory:stock")
    panel = Panel("stock", "Stock expiring or short", stock, "Nothing expiring or short.")
    short = [Row(name, stock, detail, alert=True) for name, detail in _short(today)]
    # Counted and cut in the database: the first rows are shown, the link opens the rest.
    soon = expiring_by(today + timedelta(days=EXPIRY_ALERT_DAYS[0]))
    rows = short + [_expiry_row(lot, today) for lot in soon[: max(ROWS - len(short), 0)]]
    panel.total, panel.rows = len(short) + soon.count(), rows[:ROWS]
    panel.link_label = f"Stock (alerts within {EXPIRY_ALERT_DAYS[0]} days)"
    return panel


def _expiry_row(lot: Lot, today: date) -> Row:
    when = "expired" if lot.expiry_date < today else "expires"
    return Row(
        f"{lot.product} lot {lot.lot_number}",
        reverse("inventory:lot", args=[lot.pk]),
        f"{lot.on_hand_vials} vial(s), {when} {lot.expiry_date:%Y-%m-%d}",
        alert=lot.expiry_date < today,
    )


def _short(today: date) -> list[tuple[str, str]]:
    """(product, "N usable, M needed") for each vial size the verified orders need more of than is usable."""
    needed = worklists.vials_awaiting_dispense()
    if not needed:
        return []
    usable = usable_vials_by_size(today)
    short = []
    for (slug, size), count in sorted(needed.items()):
        name, have = usable.get((slug, size), (f"{slug} {size} g", 0))
        if have < count:
            short.append((name, f"{have} usable, {count} needed by orders to dispense"))
    return short


def approver_panel() -> Panel:
    return _panel(
        "decide",
        "Awaiting my decision",
        reverse("orders:worklist") + "#decide",
        "Nothing awaits approval.",
        worklists.to_decide(),
        lambda o: Row(
            f"{o.reference} · {_who(o.patient)}", reverse("orders:decide", args=[o.pk]), _signed(o)
        ),
    )


def nurse_panels(user: Any, today: date) -> list[Panel]:
    visible = Patient.objects.visible_to(user)
    infusions = reverse("infusions:list")
    sessions = _panel(
        "sessions",
        "Today's infusions",
        infusions,
        "No sessions today yet.",
        infusion_worklist.todays_sessions(visible, today),
        lambda s: Row(
            f"{_who(s.patient)} · day {s.day_number}",
            reverse("infusions:flowsheet" if s.status in s.ACTIVE else "infusions:record", args=[s.pk]),
            s.get_status_display() + (f": {s.sent_back_reason}" if s.sent_back_reason else ""),
        ),
    )
    ready_orders, total = _first(infusion_worklist.ready_to_start(visible))
    ready = Panel("ready", "Ready to start", infusions + "#h-ready", "No dispensed orders wait.", total)
    for order in ready_orders:  # at most ROWS orders: one small query each for the next day
        day = next_day(order)
        ready.rows.append(
            Row(
                f"{order.reference} · {_who(order.patient)}",
                reverse("infusions:start", args=[order.pk]),
                f"day {day} can start" if day else "every day has a session",
            )
        )
    switches = _panel(
        "switches",
        "Product changes",
        reverse("conservation:notices"),
        "No product changes to know about.",
        SwitchNotice.objects.filter(patient__in=visible, seen_at__isnull=True).select_related(
            "patient", "order"
        ),
        lambda n: Row(
            f"{n.order.reference} · {_who(n.patient)}",
            reverse("conservation:notices"),
            "new product: first-infusion rates, observe 1 h after",
            alert=True,
        ),
    )
    panels = [switches, sessions, ready] if switches.total else [sessions, ready]
    route = home_route_panel(user, today)
    return [route, *panels] if route.total else panels


def home_route_panel(user: Any, today: date) -> Panel:
    """A home-infusion nurse's route for today, stop by stop (shown only when she has one)."""
    link = reverse("scheduling:route", args=[today.isoformat(), user.pk])
    panel = Panel("route", "My home visits today", link, "No home route today.")
    panel.link_label = "The route with times and the sketch"
    stops = RouteStop.objects.filter(route__plan__day=today, route__nurse=user).exclude(
        appointment__status=Appointment.Status.CANCELLED
    )
    found, panel.total = _first(stops.select_related("appointment__patient").order_by("position"))
    panel.rows = [
        Row(
            f"{timezone.localtime(stop.start):%H:%M} {_who(stop.appointment.patient)}",
            link,
            f"stop {stop.position}: arrive {timezone.localtime(stop.arrival):%H:%M}, "
            f"{stop.travel_min} min on the road",
        )
        for stop in found
    ]
    return panel


def followup_panel(now: Any) -> Panel:
    work = followup_worklist.build(now)
    rows = [
        Row(
            _who(entry.follow_up.patient),
            reverse("followup:entry", args=[entry.pk]),
            f"diary {timezone.localtime(entry.recorded_at):%Y-%m-%d %H:%M}: call ({entry.triage_level.code})",
            alert=True,
        )
        for entry in work.to_call
    ] + [
        Row(_who(f.patient), reverse("followup:diary", args=[f.pk]), "no diary yet: call the family")
        for f in work.missing
    ]
    return Panel(
        "followup",
        "Follow-ups to call",
        reverse("followup:worklist"),
        "No one to call.",
        total=len(rows),
        rows=rows[:ROWS],
    )


def adverse_event_panel() -> Panel:
    return _panel(
        "adverse_events",
        "Adverse events to review",
        reverse("hemovigilance:ae_worklist") + "?status=open",
        "No open adverse-event reports.",
        register.filtered(status="open"),
        lambda r: Row(
            f"{_who(r.patient)} · {r.get_status_display()}",
            reverse("hemovigilance:ae_detail", args=[r.pk]),
            ("serious · " if r.serious else "") + f"onset {timezone.localtime(r.onset_at):%Y-%m-%d}",
            alert=r.serious,
        ),
    )


def audit_panel(today: date) -> Panel:
    since = timezone.make_aware(datetime.combine(today, time.min))
    return _panel(
        "audit",
        "Audit today",
        reverse("audit:list"),
        "No audited actions today.",
        AuditEvent.objects.filter(at__gte=since).order_by("-at", "-id"),
        lambda e: Row(
            f"{timezone.localtime(e.at):%H:%M} {e.actor_username or 'system'}",
            reverse("audit:list"),
            e.summary,
        ),
    )


def schedule_panels(user: Any, today: date) -> list[Panel]:
    day = _panel(
        "schedule",
        "Today's schedule",
        reverse("scheduling:day"),
        "Nothing booked today.",
        Appointment.objects.filter(day=today, status__in=Appointment.ACTIVE)
        .select_related("patient", "chair")
        .order_by("start", "id"),
        lambda a: Row(
            f"{timezone.localtime(a.start):%H:%M} {_who(a.patient)}",
            reverse("scheduling:appointment", args=[a.pk]),
            ("home visit" if a.home_visit else str(a.chair)) + f" · {a.get_status_display()}",
        ),
    )
    if not user.has_perm(roles.BOOK_APPOINTMENT):
        return [day]
    booked = Appointment.objects.filter(status__in=Appointment.ACTIVE).values("order_id")
    to_book = _panel(
        "to_book",
        "Orders to book",
        reverse("scheduling:to_book"),
        "Every order is booked.",
        TherapyOrder.objects.filter(status__in=BOOKABLE)
        .exclude(pk__in=booked)
        .select_related("patient")
        .order_by("signed_at", "pk"),
        _order_row(_signed),
    )
    return [day, to_book]


def admin_panel(today: date) -> Panel:
    from ivig.accounts.models import User

    week_ago = clock.now() - timedelta(days=7)
    facts = [
        ("Active users", User.objects.filter(is_active=True).count(), reverse("admin:index")),
        (
            "Signed in this week",
            User.objects.filter(last_login__gte=week_ago).count(),
            reverse("admin:index"),
        ),
        ("Patients", Patient.objects.count(), reverse("patients:list")),
    ]
    rows = [Row(label, url, str(count)) for label, count, url in facts]
    admin = reverse("admin:index")
    return Panel("summary", "Summary", admin, "", total=len(rows), rows=rows, link_label="Admin")


def panels_for(user: Any, today: date | None = None) -> list[Panel]:
    """The panels this user's permissions call for, most urgent first."""
    today = today or clock.localdate()
    can = user.has_perm
    panels: list[Panel] = []
    if can(roles.PRESCRIBE):
        panels += prescriber_panels(user, today)
    if can(roles.APPROVE_ORDER):
        panels.append(approver_panel())
    if can(roles.ADMINISTER_INFUSION):
        panels += nurse_panels(user, today)
    if can(roles.VERIFY_ORDER):
        panels += pharmacy_panels(today)
    if can(roles.VIEW_STOCK):
        panels.append(stock_panel(today))
    if can(roles.VIEW_FOLLOWUP_WORKLIST):
        panels.append(followup_panel(clock.now()))  # as the follow-up page reads it
    if can(roles.VIEW_ADVERSE_EVENTS):
        panels.append(adverse_event_panel())
    if can(roles.VIEW_APPOINTMENT):
        panels += schedule_panels(user, today)
    if can(roles.VIEW_AUDIT):
        panels.append(audit_panel(today))
    if user.is_staff:
        panels.append(admin_panel(today))
    return panels


def total_work(panels: Iterable[Panel]) -> int:
    return sum(panel.total for panel in panels if panel.key not in ("summary", "audit"))

"""Scheduling pages: the centre's day (chairs and nurses' load), booking, one appointment, home visits.

Views only route: writes live in `actions`, every placement is checked by the clinical core.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ivig import clock
from ivig.accounts.access import requires
from ivig.accounts.models import User
from ivig.accounts.requests import SignedInRequest
from ivig.accounts.roles import BOOK_APPOINTMENT, VIEW_APPOINTMENT
from ivig.lib.dates import next_day, previous_day
from ivig.lib.refusals import refusals_to
from ivig.orders.models import TherapyOrder
from ivig.scheduling import actions, moves
from ivig.scheduling.charts import nurse_load, timeline
from ivig.scheduling.day import BookingError, course_durations, day_state
from ivig.scheduling.filters import HomeVisitFilter
from ivig.scheduling.forms import BookForm, CancelForm, DayForm, MoveForm
from ivig.scheduling.models import Appointment, CentreHours, HomeRoute, NurseShift

PAST_DAY = "This day has passed: its schedule is read-only."


def _day(request: HttpRequest) -> tuple[date, DayForm]:
    form = DayForm(request.GET or None)
    day = form.cleaned_data.get("date") if form.is_valid() else None
    return day or clock.localdate(), form


@requires(VIEW_APPOINTMENT)
def day_view(request: HttpRequest) -> HttpResponse:
    day, form = _day(request)
    state = day_state(day)
    appointments = Appointment.objects.filter(day=day).select_related(
        "patient", "order", "chair", "nurse", "handover_nurse"
    )
    context = {
        "day": day,
        "form": form,
        "previous": previous_day(day),
        "next": next_day(day),
        "timeline": timeline(state),
        "load": nurse_load(state),
        "appointments": appointments,
        "hours": state.hours,
        "past": day < clock.localdate(),
        "can_book": request.user.has_perm(BOOK_APPOINTMENT) and day >= clock.localdate(),
    }
    return render(request, "scheduling/day.html", context, status=400 if form.errors else 200)


@requires(BOOK_APPOINTMENT)
def to_book(request: HttpRequest) -> HttpResponse:
    booked = Appointment.objects.filter(status__in=Appointment.ACTIVE).values("order_id")
    orders = (
        TherapyOrder.objects.filter(status__in=actions.BOOKABLE)
        .exclude(pk__in=booked)
        .select_related("patient")
        .order_by("signed_at", "pk")[:100]
    )
    return render(request, "scheduling/to_book.html", {"orders": orders})


@requires(BOOK_APPOINTMENT)
def book(request: SignedInRequest, order_pk: int) -> HttpResponse:
    order = get_object_or_404(
        TherapyOrder.objects.select_related("patient"), pk=order_pk, status__in=actions.BOOKABLE
    )
    hours = CentreHours.load()
    try:
        durations = course_durations(order, hours)
    except BookingError as error:
        durations, plan_error = [], str(error)
    else:
        plan_error = ""
    form = BookForm(request.POST or None)
    with refusals_to(form) as outcome:
        if form.is_valid():
            made = _book(request.user, order, form)
            first = made[0]
            messages.success(
                request,
                f"Booked {order.patient}: {len(made)} day(s) from {first.day:%Y-%m-%d} "
                f"{timezone.localtime(first.start):%H:%M}.",
            )
            return redirect(f"{reverse('scheduling:day')}?date={first.day:%Y-%m-%d}")
    context = {"order": order, "form": form, "durations": durations, "plan_error": plan_error, "hours": hours}
    return render(request, "scheduling/book.html", context, status=outcome.status)


def _book(by: User, order: TherapyOrder, form: BookForm) -> list[Appointment]:
    """Book the way the form chose: the first free slot, by hand, or as home visits."""
    data = form.cleaned_data
    if data["mode"] == BookForm.FIND:
        return actions.book_order(
            by=by,
            order=order,
            first=data["first"],
            last=data["last"],
            preferred=data["start"],
            needs=form.needs(),
        )
    placed = {
        "by": by,
        "order": order,
        "first": data["first"],
        "start": data["start"],
        "nurse": data["nurse"],
    }
    if data["mode"] == BookForm.HAND:
        return actions.place_order(**placed, chair=data["chair"], needs=form.needs())
    return actions.book_home_visits(**placed)


def _appointment(pk: int) -> Appointment:
    return get_object_or_404(
        Appointment.objects.select_related("patient", "order", "chair", "nurse", "handover_nurse"), pk=pk
    )


@requires(VIEW_APPOINTMENT)
def appointment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, _appointment(pk))


def _detail_page(
    request: HttpRequest,
    a: Appointment,
    move: MoveForm | None = None,
    cancel: CancelForm | None = None,
    status: int = 200,
) -> HttpResponse:
    initial = {
        "day": a.day,
        "start": timezone.localtime(a.start).strftime("%H:%M"),
        "chair": a.chair_id,
        "nurse": a.nurse_id,
    }
    context = {
        "a": a,
        "move": move or MoveForm(initial=initial),
        "cancel": cancel or CancelForm(),
        "past": a.day < clock.localdate(),
        "can_book": request.user.has_perm(BOOK_APPOINTMENT),
        "next_statuses": [
            Appointment.Status(s) for s in actions.NEXT_STATUS.get(Appointment.Status(a.status), ())
        ],
    }
    return render(request, "scheduling/appointment.html", context, status=status)


def _change(
    request: SignedInRequest,
    pk: int,
    form_class: type[MoveForm] | type[CancelForm],
    change: Callable[[Appointment, dict[str, Any]], str],
) -> HttpResponse:
    """Move or cancel a (not yet past) appointment with the posted form; `change` returns what to tell."""
    a = _appointment(pk)
    if a.day < clock.localdate():
        messages.error(request, PAST_DAY)
        return _detail_page(request, a, status=422)
    form = form_class(request.POST)
    with refusals_to(form) as outcome:
        if form.is_valid():
            messages.success(request, change(a, form.cleaned_data))
            return redirect("scheduling:appointment", pk=a.pk)
    move, cancel = (form, None) if isinstance(form, MoveForm) else (None, form)
    return _detail_page(request, a, move, cancel, status=outcome.status)


@requires(BOOK_APPOINTMENT)
@require_POST
def appointment_move(request: SignedInRequest, pk: int) -> HttpResponse:
    def move(a: Appointment, data: dict[str, Any]) -> str:
        others = len(moves.move_appointment(by=request.user, appointment=a, **data)) - 1
        return (
            f"Appointment moved, and {others} more day(s) of its course." if others else "Appointment moved."
        )

    return _change(request, pk, MoveForm, move)


@requires(BOOK_APPOINTMENT)
@require_POST
def appointment_cancel(request: SignedInRequest, pk: int) -> HttpResponse:
    def cancel(a: Appointment, data: dict[str, Any]) -> str:
        actions.cancel_appointment(by=request.user, appointment=a, reason=data["reason"])
        return "Appointment cancelled."

    return _change(request, pk, CancelForm, cancel)


@requires(BOOK_APPOINTMENT)
@require_POST
def appointment_status(request: SignedInRequest, pk: int) -> HttpResponse:
    a = _appointment(pk)
    try:
        actions.set_status(by=request.user, appointment=a, status=request.POST.get("status", ""))
    except BookingError as error:
        messages.error(request, str(error))
        return _detail_page(request, a, status=400)
    messages.success(request, "Status recorded.")
    return redirect("scheduling:appointment", pk=a.pk)


@requires(VIEW_APPOINTMENT)
def home_visits(request: HttpRequest) -> HttpResponse:
    found = HomeVisitFilter(request.GET, request=request)
    visits = found.qs if found.is_valid() else found.queryset.none()
    day, chosen = found.day, found.chosen
    shift = NurseShift.objects.filter(day=day, nurse=chosen, home_visits=True).first() if chosen else None
    routes = HomeRoute.objects.filter(plan__day=day).select_related("nurse")
    context = {
        "day": day,
        "form": found.form,
        "visits": visits,
        "home_nurses": found.home_nurses,
        "chosen": chosen,
        "shift": shift,
        "routes": routes.filter(nurse=chosen) if chosen else routes,
        "previous": previous_day(day),
        "next": next_day(day),
    }
    return render(request, "scheduling/home.html", context, status=400 if found.errors else 200)

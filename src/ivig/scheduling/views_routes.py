"""Home-infusion routes: the scheduler's home day (optimise, confirm, windows), each nurse's printable route.

Views only route: writes live in `route_actions`; every stored plan passed the core's route checker.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from ivig import clock
from ivig.accounts.access import requires
from ivig.accounts.requests import SignedInRequest
from ivig.accounts.roles import ADMINISTER_INFUSION, BOOK_APPOINTMENT, VIEW_APPOINTMENT
from ivig.lib.dates import next_day, previous_day
from ivig.lib.refusals import ActionRefused
from ivig.orders.models import TherapyOrder
from ivig.scheduling import route_actions
from ivig.scheduling.forms import DayForm, VisitWindowForm
from ivig.scheduling.home_day import fingerprint, visits_of
from ivig.scheduling.models import Appointment, HomeDayPlan, HomeNurse, HomeRoute, NurseShift
from ivig.scheduling.route_charts import Place, route_sketch

# Orders whose next day a nurse may start (as the infusions app's STARTABLE; not imported: a sibling app).
STARTABLE = (TherapyOrder.Status.DISPENSED, TherapyOrder.Status.IN_PROGRESS)


def _day(request: HttpRequest) -> tuple[date, DayForm]:
    form = DayForm(request.GET or request.POST or None)
    day = form.cleaned_data.get("date") if form.is_valid() else None
    return day or clock.localdate(), form


def _back(day: date) -> str:
    return f"{reverse('scheduling:home_day')}?date={day:%Y-%m-%d}"


@requires(VIEW_APPOINTMENT)
def home_day(request: HttpRequest) -> HttpResponse:
    day, form = _day(request)
    plan = HomeDayPlan.objects.filter(day=day).first()
    visits = visits_of(day)
    routes = list(plan.routes.select_related("nurse").prefetch_related("stops")) if plan else []
    on_route = {stop.appointment_id for route in routes for stop in route.stops.all()}
    reasons = {u["appointment"]: u["reason"] for u in (plan.unassigned if plan else [])}
    unassigned = [
        (a, reasons.get(a.pk, "booked after the day was planned: optimise again"))
        for a in visits
        if a.pk not in on_route
    ]
    can_plan = request.user.has_perm(BOOK_APPOINTMENT) and day >= clock.localdate()
    context = {
        "day": day,
        "form": form,
        "previous": previous_day(day),
        "next": next_day(day),
        "plan": plan,
        "stale": plan is not None and plan.fingerprint != fingerprint(day),
        "routes": routes,
        "unassigned": unassigned,
        "visits": [(a, VisitWindowForm.for_visit(a) if can_plan else None) for a in visits],
        "shifts": NurseShift.objects.filter(day=day, home_visits=True).select_related("nurse"),
        "bases": set(HomeNurse.objects.values_list("nurse_id", flat=True)),
        "can_plan": can_plan,
        "past": day < clock.localdate(),
    }
    return render(request, "scheduling/home_day.html", context, status=400 if form.errors else 200)


@requires(BOOK_APPOINTMENT)
@require_POST
def home_day_optimise(request: SignedInRequest) -> HttpResponse:
    day, form = _day(request)
    if form.errors or "date" not in request.POST:
        messages.error(request, "Choose a valid day to plan.")
        return redirect("scheduling:home_day")
    try:
        plan = route_actions.optimise_home_day(by=request.user, day=day)
    except ActionRefused as error:
        messages.error(request, str(error))
    else:
        stops = sum(route.stops.count() for route in plan.routes.all())
        left = len(plan.unassigned)
        messages.success(
            request,
            f"Home visits planned: {stops} on {plan.routes.count()} route(s)"
            + (f", {left} could not be placed (see below)." if left else "."),
        )
    return redirect(_back(day))


def _visit(pk: int) -> Appointment:
    return get_object_or_404(
        Appointment.objects.select_related("patient", "order", "nurse"), pk=pk, home_visit=True
    )


@requires(BOOK_APPOINTMENT)
@require_POST
def visit_confirm(request: SignedInRequest, pk: int) -> HttpResponse:
    a = _visit(pk)
    confirmed = request.POST.get("confirmed", "yes") == "yes"
    try:
        route_actions.confirm_visit(by=request.user, appointment=a, confirmed=confirmed)
    except ActionRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"{a.patient}: time confirmed, it stays put when the day is planned again."
            if confirmed
            else f"{a.patient}: confirmation withdrawn, the visit may move when the day is planned again.",
        )
    return redirect(_back(a.day))


@requires(BOOK_APPOINTMENT)
@require_POST
def visit_window(request: SignedInRequest, pk: int) -> HttpResponse:
    a = _visit(pk)
    form = VisitWindowForm(request.POST, prefix=f"w{a.pk}")
    if not form.is_valid():
        errors = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, f"{a.patient}: {errors}")
        return redirect(_back(a.day))
    try:
        route_actions.set_visit_window(by=request.user, appointment=a, **form.cleaned_data)
    except ActionRefused as error:
        messages.error(request, f"{a.patient}: {error}")
    else:
        messages.success(request, f"{a.patient}: window saved. Optimise the day to plan with it.")
    return redirect(_back(a.day))


@requires(VIEW_APPOINTMENT)
def route_view(request: HttpRequest, day: str, nurse_pk: int) -> HttpResponse:
    try:
        when = date.fromisoformat(day)
    except ValueError:
        raise Http404("No such day") from None
    route = (
        HomeRoute.objects.filter(plan__day=when, nurse_id=nurse_pk)
        .select_related("nurse", "plan")
        .prefetch_related("stops__appointment__patient", "stops__appointment__order")
        .first()
    )
    if route is None:
        raise Http404("No route for this nurse on this day")
    stops = list(route.stops.all())
    can_start = request.user.has_perm(ADMINISTER_INFUSION)
    context = {
        "route": route,
        "day": when,
        "stops": [_stop(stop, can_start) for stop in stops],
        "profile": HomeNurse.objects.filter(nurse_id=nurse_pk).first(),
        "stale": route.plan.fingerprint != fingerprint(when),
        "sketch": _sketch(route, stops),
    }
    return render(request, "scheduling/route.html", context)


def _stop(stop: Any, can_start: bool) -> dict[str, Any]:
    """A stop with the way into its flowsheet: open the day's session if it has one, else start it."""
    a = stop.appointment
    flowsheet = None
    if can_start and a.status in Appointment.ACTIVE:
        session = (
            a.order.infusion_sessions.filter(day_number=a.course_day).exclude(status="sent_back").first()
        )
        if session is not None:
            flowsheet = ("Open the flowsheet", reverse("infusions:flowsheet", args=[session.pk]))
        elif a.order.status in STARTABLE:
            where = urlencode(
                {
                    "setting": "home",
                    "location": a.patient.home_address.splitlines()[0][:120]
                    if a.patient.home_address
                    else "Home visit",
                }
            )
            flowsheet = ("Start the flowsheet", f"{reverse('infusions:start', args=[a.order_id])}?{where}")
    return {"stop": stop, "a": a, "flowsheet": flowsheet, "cancelled": a.status not in Appointment.ACTIVE}


def _sketch(route: HomeRoute, stops: list[Any]) -> dict[str, Any]:
    profile = HomeNurse.objects.filter(nurse_id=route.nurse_id).first()
    if profile is None:
        return route_sketch([])
    places = [Place(float(profile.base_latitude), float(profile.base_longitude), "B", profile.base)]
    for stop in stops:
        home = stop.appointment.patient.home_location
        if home is not None:
            title = f"{stop.position}. {stop.appointment.patient} {timezone.localtime(stop.start):%H:%M}"
            places.append(Place(home[0], home[1], str(stop.position), title))
    return route_sketch(places)

"""Optimise the centre's day again: show the figures before and after, apply only when confirmed."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from ivig import clock
from ivig.accounts.access import requires
from ivig.accounts.requests import SignedInRequest
from ivig.accounts.roles import BOOK_APPOINTMENT
from ivig.scheduling import actions
from ivig.scheduling.day import BookingError
from ivig.scheduling.forms import DayForm
from ivig.scheduling.optimise import propose

SESSION_KEY = "ivig_schedule_proposal"


@requires(BOOK_APPOINTMENT)
def optimise_day(request: SignedInRequest) -> HttpResponse:
    form = DayForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid() or form.cleaned_data.get("date") is None:
        messages.error(request, "Choose a valid day to optimise.")
        return redirect("scheduling:day")
    day = form.cleaned_data["date"]
    back = f"{reverse('scheduling:day')}?date={day:%Y-%m-%d}"
    if day < clock.localdate():
        messages.error(request, "A past day cannot be optimised.")
        return redirect(back)
    if request.method == "POST" and request.POST.get("confirm") == "apply":
        saved = request.session.get(SESSION_KEY) or {}
        if saved.get("day") != day.isoformat() or saved.get("fingerprint") != request.POST.get("fingerprint"):
            messages.error(request, "That proposal is out of date: optimise the day again.")
            return redirect(back)
        moves = {
            int(pk): (m[0], m[1], m[2], None if len(m) < 4 or m[3] is None else (m[3][0], m[3][1], m[3][2]))
            for pk, m in saved["moves"].items()
        }
        try:
            changed = actions.apply_plan(
                by=request.user, day=day, moves=moves, fingerprint=saved["fingerprint"]
            )
        except BookingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Day re-planned: {changed} appointment(s) changed.")
        request.session.pop(SESSION_KEY, None)
        return redirect(back)
    try:
        proposal = propose(day)
    except BookingError as error:
        messages.error(request, str(error))
        return redirect(back)
    request.session[SESSION_KEY] = {
        "day": day.isoformat(),
        "fingerprint": proposal.fingerprint,
        "moves": {str(pk): list(m) for pk, m in proposal.moves.items()},
    }
    return render(request, "scheduling/optimise.html", {"day": day, "p": proposal, "back": back})

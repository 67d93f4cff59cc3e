"""The infusion record: what went in, when, from which lot; the chart, vital signs, reactions and events."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from ivig import clock
from ivig.accounts.access import requires
from ivig.accounts.roles import VIEW_INFUSION
from ivig.infusions.chart import rate_chart
from ivig.infusions.pump import given_ml
from ivig.infusions.views.pages import get_session


@requires(VIEW_INFUSION)
def session_record(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session(request, pk)
    now = clock.now()
    until = session.ended_at or now
    context = {
        "session": session,
        "order": session.order,
        "patient": session.patient,
        "chart": mark_safe(rate_chart(session, now)),  # noqa: S308 - built from numbers and escaped text
        "segments": session.segments.select_related("recorded_by"),
        "vitals": session.vitals.select_related("recorded_by"),
        "scans": session.scans.select_related("lot__product", "scanned_by"),
        "reactions": session.reactions.prefetch_related("actions").select_related("adverse_event"),
        "events": session.events.select_related("by"),
        "given_ml": given_ml(session, until),
        "now": now,
    }
    return render(request, "infusions/record.html", context)

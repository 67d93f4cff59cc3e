"""The worklist: what this user has to do next, by what their roles let them do."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ivig import clock
from ivig.accounts.access import requires
from ivig.accounts.roles import VIEW_ORDER
from ivig.orders.worklists import SECTION_LIMIT, sections_for


@requires(VIEW_ORDER)
def worklist(request: HttpRequest) -> HttpResponse:
    today = clock.localdate()
    context = {"sections": sections_for(request.user, today), "today": today, "limit": SECTION_LIMIT}
    return render(request, "orders/worklist.html", context)

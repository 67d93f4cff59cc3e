"""Home and error pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ivig import clock
from ivig.accounts.access import public, signed_in
from ivig.accounts.roles import VIEW_OWN_RECORD, VIEW_PATIENT
from ivig.web.home import panels_for, total_work


@public
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        return redirect("accounts:login")
    if user.has_perm(VIEW_OWN_RECORD) and not user.has_perm(VIEW_PATIENT):
        return redirect("patients:mine")
    panels = panels_for(user)
    context = {"panels": panels, "work_total": total_work(panels), "today": clock.localdate()}
    return render(request, "web/home.html", context)


@signed_in
def whoami(request: HttpRequest) -> HttpResponse:
    return render(request, "web/whoami.html")

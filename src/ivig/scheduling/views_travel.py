"""The travel matrix page: which travel times the routes use, and loading a site's own matrix (CSV/JSON)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from ivig.accounts.access import requires
from ivig.accounts.requests import SignedInRequest
from ivig.accounts.roles import BOOK_APPOINTMENT, CHANGE_SITE_SETTINGS
from ivig.lib.refusals import refusals_to
from ivig.scheduling import route_actions
from ivig.scheduling.models import TravelMatrix
from ivig.scheduling.travel_upload import CSV_HEADER, parse_matrix
from ivig.siteconfig.models import SiteSettings


class MatrixForm(forms.Form):
    name = forms.CharField(max_length=120, help_text="E.g. the area and the date it was exported.")
    file = forms.FileField(label="Matrix file (.csv or .json)")


@requires(BOOK_APPOINTMENT, CHANGE_SITE_SETTINGS)
def travel_matrix(request: SignedInRequest) -> HttpResponse:
    form = MatrixForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and request.POST.get("stop") == "yes":
        stopped = route_actions.stop_travel_matrix(by=request.user)
        messages.success(
            request, "Travel times are the estimate again." if stopped else "No matrix was in use."
        )
        return redirect("scheduling:travel")
    with refusals_to(form) as outcome:
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            matrix = parse_matrix(upload.name, upload.read())
            loaded = route_actions.load_travel_matrix(
                by=request.user, name=form.cleaned_data["name"], matrix=matrix
            )
            messages.success(request, f"Travel matrix “{loaded.name}” loaded: {len(loaded.points)} places.")
            return redirect("scheduling:travel")
    context = {
        "form": form,
        "current": TravelMatrix.objects.filter(active=True).select_related("uploaded_by").first(),
        "site": SiteSettings.load(),
        "header": ",".join(CSV_HEADER),
    }
    return render(request, "scheduling/travel.html", context, status=outcome.status)

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from ivig.accounts.access import requires
from ivig.accounts.requests import SignedInRequest
from ivig.accounts.roles import CHANGE_SITE_SETTINGS, VIEW_SITE_SETTINGS
from ivig.lib.refusals import refusals_to
from ivig.siteconfig.actions import update_site_settings
from ivig.siteconfig.forms import SiteSettingsForm
from ivig.siteconfig.models import SiteSettings


@requires(VIEW_SITE_SETTINGS, CHANGE_SITE_SETTINGS)
def site_settings(request: SignedInRequest) -> HttpResponse:
    current = SiteSettings.load()
    can_edit = request.user.has_perm(CHANGE_SITE_SETTINGS)
    status = 200
    if request.method == "POST":
        if not can_edit:
            return render(request, "403.html", status=403)
        form = SiteSettingsForm(request.POST, instance=SiteSettings.load())
        with refusals_to(form) as outcome:
            if form.is_valid():
                update_site_settings(
                    by=request.user, limits_source=form.cleaned_data["limits_source"], **form.values()
                )
                messages.success(request, "Site settings saved.")
                return redirect("siteconfig:settings")
        status = outcome.status
    else:
        form = SiteSettingsForm(instance=current)
    return render(
        request,
        "siteconfig/settings.html",
        {"form": form, "current": current, "can_edit": can_edit},
        status=status,
    )

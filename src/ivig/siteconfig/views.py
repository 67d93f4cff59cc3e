from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ivig.accounts.access import requires
from ivig.accounts.roles import CHANGE_SITE_SETTINGS, VIEW_SITE_SETTINGS
from ivig.siteconfig.actions import update_site_settings
from ivig.siteconfig.forms import SiteSettingsForm
from ivig.siteconfig.models import SiteSettings


@requires(VIEW_SITE_SETTINGS, CHANGE_SITE_SETTINGS)
def site_settings(request: HttpRequest) -> HttpResponse:
    current = SiteSettings.load()
    can_edit = request.user.has_perm(CHANGE_SITE_SETTINGS)
    if request.method == "POST":
        if not can_edit:
            return render(request, "403.html", status=403)
        form = SiteSettingsForm(request.POST, instance=SiteSettings.load())
        if form.is_valid():
            update_site_settings(by=request.user, **{name: form.cleaned_data[name] for name in form.fields})
            messages.success(request, "Site settings saved.")
            return redirect("siteconfig:settings")
    else:
        form = SiteSettingsForm(instance=current)
    return render(
        request, "siteconfig/settings.html", {"form": form, "current": current, "can_edit": can_edit}
    )

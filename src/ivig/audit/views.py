"""The audit page: every recorded change, filterable by patient, user and date."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ivig.accounts.access import requires
from ivig.accounts.roles import VIEW_AUDIT
from ivig.audit.forms import AuditFilterForm
from ivig.audit.models import AuditEvent


@requires(VIEW_AUDIT)
def audit_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.all()
    if form.is_valid():
        data = form.cleaned_data
        if data["patient"]:
            events = events.filter(patient_mrn__iexact=data["patient"].strip())
        if data["user"]:
            events = events.filter(actor_username__iexact=data["user"].strip())
        zone = timezone.get_current_timezone()
        if data["date_from"]:
            events = events.filter(at__gte=datetime.combine(data["date_from"], time.min, zone))
        if data["date_to"]:
            events = events.filter(
                at__lt=datetime.combine(data["date_to"] + timedelta(days=1), time.min, zone)
            )
    elif form.is_bound:
        events = events.none()
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/list.html", {"form": form, "page": page})

"""Diary (patients and families), worklist and contacts (care team), starting a follow-up by hand."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ivig import clock
from ivig.accounts.access import requires
from ivig.accounts.requests import SignedInRequest
from ivig.accounts.roles import (
    RECORD_FOLLOWUP_CONTACT,
    START_FOLLOW_UP,
    VIEW_FOLLOWUP_WORKLIST,
    VIEW_OWN_RECORD,
)
from ivig.audit.once import one_time_form
from ivig.clinical.triage import Level, Severity, Symptom
from ivig.followup import actions, worklist
from ivig.followup.forms import ContactForm, DiaryForm, StartFollowUpForm
from ivig.followup.messages import (
    LEVEL_ADVICE,
    LEVEL_HEADINGS,
    RULE_MESSAGES,
    SEVERITY_LABELS,
    SYMPTOM_LABELS,
)
from ivig.followup.models import DIARY_HOURS, DiaryEntry, FollowUp
from ivig.lib.refusals import refusals_to
from ivig.orders.models import TherapyOrder
from ivig.siteconfig.models import SiteSettings


def _visible_follow_up(request: HttpRequest, pk: int) -> FollowUp:
    # 404 for another family's follow-up: the portal must not reveal who is a patient here.
    visible = actions.diary_patients(request.user)
    try:
        found: FollowUp = visible.scope(FollowUp.objects.select_related("patient", "order")).get(pk=pk)
        return found
    except FollowUp.DoesNotExist:
        raise Http404("No such follow-up") from None


def entry_context(entry: DiaryEntry) -> dict[str, object]:
    level = entry.triage_level
    return {
        "entry": entry,
        "level": level,
        "heading": LEVEL_HEADINGS[level],
        "advice": LEVEL_ADVICE[level],
        "reasons": [RULE_MESSAGES[code] for code in dict.fromkeys(entry.rule_codes)],
        "symptoms": [
            (SYMPTOM_LABELS[symptom], SEVERITY_LABELS[severity]) for symptom, severity in _symptoms(entry)
        ],
    }


def _symptoms(entry: DiaryEntry) -> list[tuple[Symptom, Severity]]:
    return [(Symptom(code), Severity(value)) for code, value in entry.symptoms.items()]


# The diary is kept by the patient's linked portal accounts and the follow-up team (Nurse, Quality, Admin);
# `actions.diary_patients` narrows it to the patients each one may reach.
DIARY_PERMISSIONS = (VIEW_OWN_RECORD, VIEW_FOLLOWUP_WORKLIST)


@requires(*DIARY_PERMISSIONS)
@one_time_form
def diary(request: SignedInRequest, pk: int) -> HttpResponse:
    follow_up = _visible_follow_up(request, pk)
    form = DiaryForm(request.POST or None)
    with refusals_to(form) as outcome:
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                entry = actions.record_entry(
                    by=request.user,
                    follow_up=follow_up,
                    temp=data["temp"],
                    temp_unit=data["temp_unit"],
                    symptoms=form.symptoms(),
                    notes=data["notes"],
                )
            except actions.DuplicateEntry as duplicate:
                messages.info(request, _("This entry was already saved, so it was not saved twice."))
                entry = duplicate.entry
            return redirect("followup:entry", pk=entry.pk)
    now = clock.now()
    context = {
        "follow_up": follow_up,
        "form": form,
        "is_open": follow_up.is_open(now),
        "hours_now": follow_up.hours_after(now),
        "diary_hours": DIARY_HOURS,
        "entries": [entry_context(entry) for entry in follow_up.entries.all()],
    }
    return render(request, "followup/diary.html", context, status=outcome.status)


@requires(*DIARY_PERMISSIONS)
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visible = actions.diary_patients(request.user)
    entry = get_object_or_404(
        DiaryEntry.objects.select_related("follow_up__patient"), pk=pk, follow_up__patient__in=visible
    )
    context = entry_context(entry) | {"follow_up": entry.follow_up, "site": SiteSettings.load()}
    return render(request, "followup/entry.html", context)


@requires(VIEW_FOLLOWUP_WORKLIST)
def worklist_view(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    work = worklist.build(now)
    context = {
        "to_call": [entry_context(entry) for entry in work.to_call],
        "missing": work.missing,
        "now": now,
        "form": ContactForm(),
        "can_record": request.user.has_perm(RECORD_FOLLOWUP_CONTACT),
        "emergency": Level.EMERGENCY,
    }
    return render(request, "followup/worklist.html", context)


@requires(RECORD_FOLLOWUP_CONTACT)
@require_POST
def contact(request: SignedInRequest, pk: int) -> HttpResponse:
    follow_up = get_object_or_404(FollowUp.objects.select_related("patient", "order"), pk=pk)
    entry_pk = request.POST.get("entry")
    entry = None
    if entry_pk:
        entry = (
            get_object_or_404(DiaryEntry, pk=entry_pk, follow_up=follow_up) if entry_pk.isdigit() else None
        )
        if entry is None:
            raise Http404("No such diary entry")
    form = ContactForm(request.POST)
    with refusals_to(form) as outcome:
        if form.is_valid():
            actions.record_contact(by=request.user, follow_up=follow_up, entry=entry, **form.cleaned_data)
            messages.success(request, f"Contact recorded for {follow_up.patient.full_name}.")
            return redirect("followup:worklist")
    context = {"form": form, "follow_up": follow_up, "entry": entry}
    return render(request, "followup/contact.html", context, status=outcome.status)


@requires(START_FOLLOW_UP)
def start(request: SignedInRequest, order_pk: int) -> HttpResponse:
    order = get_object_or_404(TherapyOrder.objects.select_related("patient"), pk=order_pk)
    form = StartFollowUpForm(request.POST or None)
    with refusals_to(form) as outcome:
        if request.method == "POST" and form.is_valid():
            follow_up = actions.start_follow_up(
                by=request.user, order=order, ended_at=form.cleaned_data["ended_at"]
            )
            messages.success(request, _("72-hour follow-up started."))
            return redirect("followup:diary", pk=follow_up.pk)
    context = {"form": form, "order": order, "follow_ups": order.follow_ups.all()}
    return render(request, "followup/start.html", context, status=outcome.status)

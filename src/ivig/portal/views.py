"""Portal pages: the family's home, education and its handout, invitations, the language switch."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from ivig import clock
from ivig.accounts.access import public, requires
from ivig.accounts.requests import SignedInRequest
from ivig.accounts.roles import INVITE_PORTAL_USER, VIEW_OWN_RECORD, VIEW_PATIENT
from ivig.clinical.triage import Level
from ivig.followup.messages import education_lists
from ivig.lib.pdf import PdfUnavailable, write_pdf
from ivig.lib.refusals import ActionRefused, refusals_to
from ivig.orders.sheet import pdf_page_css
from ivig.patients.models import Patient
from ivig.portal import actions
from ivig.portal.education import personal_for
from ivig.portal.forms import AcceptForm, InvitationForm
from ivig.portal.models import Invitation, PortalMessage
from ivig.siteconfig.models import SiteSettings


@public
def language(request: HttpRequest) -> HttpResponse:
    return set_language(request)


@requires(VIEW_OWN_RECORD)
def home(request: HttpRequest) -> HttpResponse:
    patients = list(Patient.objects.visible_to(request.user))
    now = clock.now()
    rows = []
    for patient in patients:
        follow_ups = list(patient.follow_ups.all()[:5])
        rows.append(
            {
                "patient": patient,
                "open": [f for f in follow_ups if f.is_open(now)],
                "past": follow_ups,
                "messages": list(patient.portal_messages.all()[:5]),
            }
        )
    return render(request, "portal/home.html", {"rows": rows})


def _education_context(request: HttpRequest, pk: int) -> dict[str, object]:
    patient = Patient.objects.visible_or_404(request.user, pk)
    lists = education_lists()
    return {
        "patient": patient,
        "personal": personal_for(patient),
        "site": SiteSettings.load(),
        "self_care": lists[Level.SELF_CARE],
        "call_today": lists[Level.CALL_TODAY],
        "emergency": lists[Level.EMERGENCY],
    }


@requires(VIEW_OWN_RECORD, VIEW_PATIENT)
def education(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "portal/education.html", _education_context(request, pk))


@requires(VIEW_OWN_RECORD, VIEW_PATIENT)
def handout(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "portal/handout.html", _education_context(request, pk))


@requires(VIEW_OWN_RECORD, VIEW_PATIENT)
def handout_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The handout as a PDF (WeasyPrint, like the order sheet); without Pango, the printable page instead."""
    context = _education_context(request, pk)
    html = render_to_string("portal/handout.html", context | {"pdf": True}, request=request)
    try:
        pdf = write_pdf(html, base_url=request.build_absolute_uri("/"), page_css=pdf_page_css("a4"))
    except PdfUnavailable:
        return redirect("portal:handout", pk=pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="immunoglobulin-handout.pdf"'
    return response


@requires(VIEW_OWN_RECORD)
@require_POST
def message_read(request: SignedInRequest, pk: int) -> HttpResponse:
    visible = Patient.objects.visible_to(request.user)
    message = get_object_or_404(PortalMessage, pk=pk, patient__in=visible)
    actions.mark_read(by=request.user, message=message)
    return redirect("portal:home")


@requires(INVITE_PORTAL_USER)
def invite(request: SignedInRequest, pk: int) -> HttpResponse:
    patient = Patient.objects.visible_or_404(request.user, pk)
    form = InvitationForm(request.POST or None)
    link = None
    with refusals_to(form) as outcome:
        if request.method == "POST" and form.is_valid():
            _invitation, token = actions.create_invitation(
                by=request.user, patient=patient, **form.cleaned_data
            )
            link = request.build_absolute_uri(f"/portal/join/{token}/")
            form = InvitationForm()
    context = {"patient": patient, "form": form, "link": link, "invitations": patient.invitations.all()[:10]}
    status = outcome.status if link is None else 200
    return render(request, "portal/invite.html", context, status=status)


@requires(INVITE_PORTAL_USER)
@require_POST
def revoke(request: SignedInRequest, pk: int, invitation_pk: int) -> HttpResponse:
    """Withdraw an unused invitation (sent to the wrong address, no longer wanted): its link stops working."""
    patient = Patient.objects.visible_or_404(request.user, pk)
    invitation = get_object_or_404(Invitation, pk=invitation_pk, patient=patient)
    try:
        actions.revoke_invitation(by=request.user, invitation=invitation)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, f"The invitation for {invitation.email} is revoked: its link no longer works."
        )
    return redirect("portal:invite", pk=patient.pk)


@public
def accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = actions.usable_invitation(token)
    if invitation is None:
        return render(request, "portal/invitation_unusable.html", status=404)
    signed_in = request.user.is_authenticated
    form = None if signed_in else AcceptForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form is None:
        try:
            actions.accept_invitation(token=token, user=request.user)
        except actions.PortalError as error:
            messages.error(request, str(error))
            return redirect("web:home")
        return redirect("portal:home")
    status = 200
    if form is not None:
        with refusals_to(form) as outcome:
            if request.method == "POST" and form.is_valid():
                user = actions.accept_invitation(
                    token=token,
                    username=form.cleaned_data["username"],
                    password=form.cleaned_data["password1"],
                )
                login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
                return redirect("portal:home")
        status = outcome.status
    context = {"form": form, "invitation": invitation, "site": SiteSettings.load()}
    return render(request, "portal/accept.html", context, status=status)

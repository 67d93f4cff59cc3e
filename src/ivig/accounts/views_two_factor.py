"""Two-factor pages: enrol an authenticator app, give a code after the password, new recovery codes, remove.

The rules and the audit trail are in ivig.accounts.two_factor; the enforcement in two_factor_middleware.
"""

from __future__ import annotations

from typing import Any

import django_otp
from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from ivig.accounts import two_factor
from ivig.accounts.access import signed_in


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text="The 6-digit code your authenticator app shows now, or one of your recovery codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


class AppCodeForm(CodeForm):
    code = forms.CharField(
        label="Code from the app",
        max_length=12,
        help_text="The 6-digit code the app shows for this account.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}
        ),
    )


def _next(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(wanted, {request.get_host()}, require_https=request.is_secure())
    return wanted if wanted and safe else reverse("web:home")


def _verified(request: HttpRequest, device: Any) -> None:
    django_otp.login(request, device)
    request.session.cycle_key()  # a new session id once the second factor is given


def _codes_page(request: HttpRequest, codes: list[str], *, heading: str) -> HttpResponse:
    context = {"codes": codes, "heading": heading, "next": _next(request)}
    return render(request, "accounts/two_factor/recovery_codes.html", context)


@signed_in
@never_cache
def enrol(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if two_factor.has_device(user):
        if user.is_verified():
            messages.success(request, "Two-factor sign-in is already on.")
            return redirect("web:whoami")
        return redirect(f"{reverse('two_factor:verify')}?{request.GET.urlencode()}")
    device = two_factor.pending_device(user)
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = two_factor.confirm_enrolment(user=user, device=device, code=form.cleaned_data["code"])
        if outcome.codes:
            _verified(request, outcome.device)
            return _codes_page(request, outcome.codes, heading="Two-factor sign-in is on")
        form.add_error(None, outcome.refusal)
    context = {
        "form": form,
        "qr_svg": two_factor.qr_svg(device),
        "secret": two_factor.secret_text(device),
        "required": two_factor.required_for(user),
        "next": _next(request),
    }
    return render(request, "accounts/two_factor/enrol.html", context)


@signed_in
@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.is_verified():
        return HttpResponseRedirect(_next(request))
    if not two_factor.has_device(user):
        return redirect(f"{reverse('two_factor:enrol')}?{request.GET.urlencode()}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = two_factor.check_code(user=user, code=form.cleaned_data["code"], purpose="sign-in")
        if check.device is not None:
            _verified(request, check.device)
            two_factor.record_sign_in(user=user, check=check)
            if check.recovery:
                left = two_factor.recovery_codes_left(user)
                messages.warning(
                    request,
                    f"You used a recovery code: {left} left. Each works once; make new ones from your account"
                    " page.",
                )
            return HttpResponseRedirect(_next(request))
        form.add_error(None, check.refusal())
    return render(request, "accounts/two_factor/verify.html", {"form": form, "next": _next(request)})


def _confirmed_step(
    request: HttpRequest, *, purpose: str, heading: str, explanation: str, submit: str
) -> tuple[HttpResponse | None, bool]:
    """Ask for a fresh code before a change; return (the page to show, whether the code was accepted)."""
    user: Any = request.user
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = two_factor.check_code(user=user, code=form.cleaned_data["code"], purpose=purpose)
        if check.device is not None:
            return None, True
        form.add_error(None, check.refusal())
    context = {"form": form, "heading": heading, "explanation": explanation, "submit": submit}
    return render(request, "accounts/two_factor/confirm.html", context), False


@signed_in
@never_cache
def new_recovery_codes(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not two_factor.has_device(user):
        return redirect("two_factor:enrol")
    page, accepted = _confirmed_step(
        request,
        purpose="new recovery codes",
        heading="New recovery codes",
        explanation="Your old recovery codes stop working. Enter a code from your app to make ten new ones.",
        submit="Make new recovery codes",
    )
    if not accepted:
        assert page is not None
        return page
    codes = two_factor.regenerate_recovery_codes(user=user)
    return _codes_page(request, codes, heading="New recovery codes")


@signed_in
@never_cache
def remove(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not two_factor.has_device(user):
        return redirect("web:whoami")
    required = two_factor.required_for(user)
    page, accepted = _confirmed_step(
        request,
        purpose="remove device",
        heading="Turn off two-factor sign-in",
        explanation=(
            "Your role requires two-factor sign-in: you will set up an app again straight away (a new phone)."
            if required
            else "Signing in will need only your password."
        )
        + " Enter a code from your app, or a recovery code, to confirm.",
        submit="Remove my two-factor device",
    )
    if not accepted:
        assert page is not None
        return page
    two_factor.remove_devices(user=user, by=user)
    messages.success(request, "Two-factor sign-in removed.")
    return redirect("two_factor:enrol" if required else "web:whoami")

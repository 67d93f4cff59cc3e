"""The OAuth2 endpoints (django-oauth-toolkit's views, SMART-ised) and the EHR "Launch app" page.

/oauth/authorize needs a signed-in user (the app's normal login page first); the consent page shows the app,
its scopes in words and the patient it will work on. /oauth/token and /oauth/revoke are for the apps
themselves: public for the access middleware, they authenticate the client.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode, urlsplit

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from oauth2_provider.exceptions import OAuthToolkitError
from oauth2_provider.forms import AllowForm
from oauth2_provider.models import get_application_model
from oauth2_provider.views import AuthorizationView, RevokeTokenView, TokenView
from oauthlib.oauth2.rfc6749 import errors

from ivig.accounts.access import public, requires, signed_in
from ivig.accounts.requests import SignedInRequest
from ivig.accounts.roles import VIEW_PATIENT
from ivig.smart import launch as launches
from ivig.smart.discovery import fhir_base
from ivig.smart.models import SmartClient

# What the consent form carries from the authorization request to its POST.
REQUEST_FIELDS = (
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
    "aud",
    "launch",
)
_SOURCE = re.compile(r"^[a-z][a-z0-9+.-]*:(//[A-Za-z0-9.\-\[\]:]+)?$")


def allow_forms_to(response: HttpResponse, *urls: str) -> None:
    """Widen the page's Content-Security-Policy (django-csp) so its forms may lead to these URLs' origins
    (an app's redirect URI or launch URL: browsers apply form-action to the redirect that follows a form)."""
    origins = []
    for url in urls:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else f"{parts.scheme}:"
        if _SOURCE.match(origin) and origin not in origins:
            origins.append(origin)
    response._csp_update = {"form-action": origins}  # type: ignore[attr-defined]  # read by django-csp


class SmartAllowForm(AllowForm):  # type: ignore[misc]  # django-oauth-toolkit is untyped
    aud = forms.CharField(required=False, widget=forms.HiddenInput())
    launch = forms.CharField(required=False, widget=forms.HiddenInput())
    patient = forms.CharField(required=False)


def _problem(description: str, *, error: str, state: str | None, redirect_uri: str) -> OAuthToolkitError:
    problem_class = {
        "invalid_scope": errors.InvalidScopeError,
        "access_denied": errors.AccessDeniedError,
    }.get(error, errors.InvalidRequestError)
    problem = problem_class(description=description, state=state)
    problem.redirect_uri = redirect_uri
    return OAuthToolkitError(error=problem, redirect_uri=redirect_uri)


@signed_in
class SmartAuthorizationView(AuthorizationView):  # type: ignore[misc]  # django-oauth-toolkit is untyped
    """DOT's authorization view with SMART's launch context: the `aud` check, the launch id or the patient
    choice, carried into the authorization code (ivig.smart.validator.save_authorization_code)."""

    template_name = "smart/authorize.html"
    form_class = SmartAllowForm
    decision: launches.Decision | None = None

    def validate_authorization_request(self, request: Any) -> tuple[list[str], dict[str, Any]]:
        scopes, credentials = super().validate_authorization_request(request)
        self.decision = self._decide(
            request.GET, scopes, credentials, search=request.GET.get("patient_search", "")
        )
        return scopes, credentials

    def _decide(
        self, params: Any, scopes: list[str], credentials: dict[str, Any], *, search: str = ""
    ) -> launches.Decision:
        """Check `aud` and settle the launch context; an OAuth error for the app when they fail."""
        redirect_uri = credentials["redirect_uri"]
        state = credentials.get("state")
        if (params.get("aud") or "").rstrip("/") != fhir_base(self.request):
            raise _problem(
                f"aud must be this server's FHIR base URL, {fhir_base(self.request)}.",
                error="invalid_request",
                state=state,
                redirect_uri=redirect_uri,
            )
        application = get_application_model().objects.get(client_id=credentials["client_id"])
        try:
            return launches.decide(
                user=self.request.user, application=application, scopes=scopes, params=params, search=search
            )
        except launches.LaunchProblem as problem:
            raise _problem(
                str(problem), error=problem.error, state=state, redirect_uri=redirect_uri
            ) from None

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = super().get_initial()
        initial["aud"] = self.request.GET.get("aud", "")
        initial["launch"] = self.request.GET.get("launch", "")
        if self.decision is not None and self.decision.patient is not None:
            initial["patient"] = str(self.decision.patient.pk)
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["decision"] = self.decision
        context["search_params"] = [
            (key, value) for key, value in self.request.GET.items() if key != "patient_search"
        ]
        context["patient_search"] = self.request.GET.get("patient_search", "")
        return context

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        response: HttpResponse = super().render_to_response(context, **kwargs)
        if context.get("redirect_uri") and not context.get("error"):
            allow_forms_to(response, context["redirect_uri"])
        return response

    def form_valid(self, form: SmartAllowForm) -> HttpResponse:
        if not form.cleaned_data.get("allow"):
            denied: HttpResponse = super().form_valid(form)  # the user said no: access_denied to the app
            return denied
        data = form.cleaned_data
        application = get_application_model().objects.filter(client_id=data["client_id"]).first()
        if application is None or not application.redirect_uri_allowed(data["redirect_uri"]):
            refused: HttpResponse = self.error_response(
                OAuthToolkitError(error=errors.InvalidClientIdError()), application=None
            )
            return refused
        scopes = data["scope"].split()
        try:
            self.decision = self._decide(data, scopes, {**data})
        except OAuthToolkitError as error:
            problem: HttpResponse = self.error_response(error, application)
            return problem
        if self.decision.must_choose:
            messages.error(self.request, "Choose the patient the app will work on.")
            query = urlencode({name: data[name] for name in REQUEST_FIELDS if data.get(name)})
            return HttpResponseRedirect(f"{self.request.path}?{query}")
        allowed: HttpResponse = super().form_valid(form)
        return allowed

    def create_authorization_response(
        self, request: HttpRequest, scopes: str, credentials: dict[str, Any], allow: bool
    ) -> tuple[str, dict[str, Any], str, int]:
        decision = self.decision
        if allow:
            if decision is None or decision.must_choose:
                raise _problem(
                    "Choose a patient on the consent page first.",
                    error="invalid_request",
                    state=credentials.get("state"),
                    redirect_uri=credentials["redirect_uri"],
                )
            credentials["smart_patient_id"] = decision.patient.pk if decision.patient else None
            if decision.launch is not None and not launches.use_launch(decision.launch):
                raise _problem(
                    "The launch id was used already: launch the app again from the patient's page.",
                    error="invalid_request",
                    state=credentials.get("state"),
                    redirect_uri=credentials["redirect_uri"],
                )
        result: tuple[str, dict[str, Any], str, int] = super().create_authorization_response(
            request, scopes, credentials, allow
        )
        return result


token = public(TokenView.as_view())
revoke = public(RevokeTokenView.as_view())


@requires(VIEW_PATIENT)
def launch(request: SignedInRequest, patient_pk: int) -> HttpResponse:
    """EHR launch: pick a registered app; it opens at its launch URL with this patient in context."""
    patient = get_object_or_404(launches.patients_for(request.user), pk=patient_pk)
    apps = list(
        SmartClient.objects.exclude(launch_url="")
        .select_related("application")
        .filter(application__authorization_grant_type="authorization-code")
        .order_by("application__name")
    )
    if request.method == "POST":
        chosen = next((app for app in apps if str(app.pk) == request.POST.get("app")), None)
        if chosen is None:
            messages.error(request, "Choose one of the apps listed.")
            return redirect("smart:launch", patient_pk=patient.pk)
        minted = launches.mint_launch(by=request.user, application=chosen.application, patient=patient)
        separator = "&" if "?" in chosen.launch_url else "?"
        query = urlencode({"iss": fhir_base(request), "launch": minted.launch_id})
        return HttpResponseRedirect(f"{chosen.launch_url}{separator}{query}")
    response = render(request, "smart/launch.html", {"patient": patient, "apps": apps})
    allow_forms_to(response, *(app.launch_url for app in apps))
    return response

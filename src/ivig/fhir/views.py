"""The API tokens page: a user makes, sees and revokes their own tokens. A new token is shown once."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ivig.accounts.access import signed_in
from ivig.accounts.requests import SignedInRequest
from ivig.fhir import tokens as token_actions
from ivig.fhir.models import ApiToken


def signed_in_user(request: HttpRequest) -> Any:
    return request.user  # the access middleware has checked the user is signed in


class TokenForm(forms.Form):
    name = forms.CharField(max_length=80, help_text="What will use the token, for example “EHR interface”.")


@signed_in
def tokens(request: SignedInRequest) -> HttpResponse:
    secret = ""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = token_actions.create_token(
                by=request.user, user=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            form.add_error("name", error)
        else:
            form = TokenForm()
    listed = ApiToken.objects.filter(user=signed_in_user(request))
    return render(request, "fhir/tokens.html", {"form": form, "tokens": listed, "secret": secret})


@signed_in
@require_POST
def revoke(request: SignedInRequest, pk: int) -> HttpResponse:
    token = ApiToken.objects.filter(user=signed_in_user(request), pk=pk).first()
    if token is None:
        raise Http404("No such token.")
    token_actions.revoke_token(by=request.user, token=token)
    messages.success(request, f"Token “{token.name}” revoked: it no longer works.")
    return redirect("api_tokens:list")

"""Sign in and sign out."""

from __future__ import annotations

from django.contrib.auth import views as auth_views

from ivig.accounts.access import public, signed_in
from ivig.accounts.forms import ThrottledAuthenticationForm


@public
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True


@signed_in
class LogoutView(auth_views.LogoutView):
    pass

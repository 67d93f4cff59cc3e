"""Portal forms: staff invite a patient or family member; the invited person makes an account."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from ivig.portal.models import PortalLink


class InvitationForm(forms.Form):
    email = forms.EmailField(label="E-mail of the patient or family member")
    relationship = forms.ChoiceField(label="Who is it?", choices=PortalLink.Relationship.choices)


class AcceptForm(forms.Form):
    username = forms.RegexField(
        label=_("Choose a username"),
        regex=r"^[\w.@+-]{3,150}$",
        error_messages={"invalid": _("Use 3 or more letters, numbers or . @ + - _")},
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password1 = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters."),
    )
    password2 = forms.CharField(
        label=_("Type the password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args: Any, email: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email  # the invitation's: the new account's e-mail, checked against the password

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        elif first:
            # With the user the password is for: too close to the username or e-mail is refused.
            candidate = get_user_model()(username=data.get("username") or "", email=self.email)
            try:
                validate_password(first, user=candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data

"""The request a view sees once the access middleware has let a signed-in user through (for type checking)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from ivig.accounts.models import User


class SignedInRequest(HttpRequest):
    """A request to a view marked `requires` or `signed_in`: the middleware refused anyone not signed in.

    Only an annotation: Django builds plain HttpRequests; this tells mypy that `request.user` is a User, so
    actions can take `by: User`.
    """

    user: User

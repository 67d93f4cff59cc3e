"""`manage.py api_token create USERNAME --name NAME` prints a new token once; `revoke` and `list` too."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ivig.fhir import tokens
from ivig.fhir.models import ApiToken


class Command(BaseCommand):
    help = "Make, list or revoke FHIR API tokens for a user."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Make a token and print it (shown only this once).")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="What will use the token")
        listing = sub.add_parser("list", help="List a user's tokens.")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="Revoke a token by its number (from list).")
        revoke.add_argument("token_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "revoke":
            token = ApiToken.objects.select_related("user").filter(pk=options["token_id"]).first()
            if token is None:
                raise CommandError(f"There is no token number {options['token_id']}.")
            tokens.revoke_token(by=None, token=token)
            self.stdout.write(f"Revoked token {token.pk} ({token.name}) of {token.user.get_username()}.")
            return
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"There is no user {options['username']!r}.")
        if action == "list":
            for token in ApiToken.objects.filter(user=user):
                state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
                self.stdout.write(f"{token.pk}\t{token.name}\tivig_{token.prefix}…\t{state}")
            return
        try:
            _token, secret = tokens.create_token(by=None, user=user, name=options["name"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(secret)

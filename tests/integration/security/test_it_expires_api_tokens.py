"""An API token stops working IVIG_API_TOKEN_DAYS after it is made: the API answers 401."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ivig import clock
from ivig.fhir.models import ApiToken
from ivig.fhir.tokens import create_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def moved_clock():
    yield clock
    clock.reset()


def test_it_refuses_a_token_past_its_lifetime(client, make_user, moved_clock, settings):
    settings.IVIG_API_TOKEN_DAYS = 30
    admin = make_user("Admin")
    _token, secret = create_token(by=admin, user=admin, name="Lab system")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    made = ApiToken.objects.get()
    assert made.expires_at == made.created_at + timedelta(days=30) or (
        abs(made.expires_at - clock.now() - timedelta(days=30)) < timedelta(minutes=1)
    )
    assert client.get("/fhir/Patient", **headers).status_code == 200

    moved_clock.set_now(made.expires_at + timedelta(seconds=1))

    assert client.get("/fhir/Patient", **headers).status_code == 401

"""No FHIR answer is stored by a browser, proxy or client cache: they carry patient data for a bearer token
(no session marks them private), and a cache that stores a kept-alive answer hangs the SMART Bulk Data
client on Node 19 and later before it starts an export (issue 18)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["metadata", ".well-known/smart-configuration", "Patient", "Nothing/here"])
def test_it_marks_fhir_answers_no_store(client, make_user, make_token, path):
    token = make_token(make_user("Admin"))

    response = client.get(f"/fhir/{path}", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response["Cache-Control"] == "no-store"

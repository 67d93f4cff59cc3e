"""With the database down, the FHIR API answers a 503 OperationOutcome (and Retry-After), not the site's
HTML error page; any other error under /fhir/ is a 500 OperationOutcome."""

from __future__ import annotations

import json

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client

from ivig.fhir import query

pytestmark = pytest.mark.django_db

# Savepoints and rollbacks still run, so the test's own transaction unwinds as it would.
KEPT = ("SAVEPOINT", "RELEASE", "ROLLBACK")


@pytest.fixture
def database_down(monkeypatch):
    real = CursorWrapper.execute

    def refuse(self, sql, params=None):
        if str(sql).lstrip().upper().startswith(KEPT):
            return real(self, sql, params)
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    def go_down():
        monkeypatch.setattr(CursorWrapper, "execute", refuse)

    return go_down


def _outcome(response, status):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/fhir+json")
    data = json.loads(response.content)
    assert data["resourceType"] == "OperationOutcome"
    return data["issue"][0]


@pytest.mark.parametrize(
    "path", ["/fhir/Patient", "/fhir/Patient/1", "/fhir/Observation?category=laboratory"]
)
def test_it_answers_503_with_an_outcome_when_the_database_is_down(make_user, make_token, database_down, path):
    token = make_token(make_user("Nurse"))
    client = Client(raise_request_exception=False)
    database_down()

    response = client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")

    issue = _outcome(response, 503)
    assert issue["code"] == "transient" and "database is not answering" in issue["diagnostics"]
    assert response["Retry-After"] == "60"


def test_it_answers_any_other_failure_under_fhir_with_an_outcome(make_user, make_token, monkeypatch):
    token = make_token(make_user("Nurse"))

    def fail(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(query, "run", fail)
    client = Client(raise_request_exception=False)

    issue = _outcome(client.get("/fhir/Patient", HTTP_AUTHORIZATION=f"Bearer {token}"), 500)

    assert issue["code"] == "exception" and "a bug" not in issue["diagnostics"]


def test_it_still_shows_the_html_error_page_outside_fhir(make_user, monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(make_user("Nurse"))
    from ivig.patients import views

    def fail(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(views.PatientListView, "get", fail)

    response = client.get("/patients/")

    assert response.status_code == 500 and response["Content-Type"].startswith("text/html")

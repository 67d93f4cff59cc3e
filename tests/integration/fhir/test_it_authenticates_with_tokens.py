"""Every call but /metadata and /openapi.json needs a live token; it reads with its user's role limits."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from ivig.audit.models import AuditEvent
from ivig.fhir import registry
from ivig.fhir.models import ApiToken, ExportJob
from ivig.fhir.scope import may_read
from ivig.fhir.tokens import revoke_token

pytestmark = pytest.mark.django_db

PATHS = [
    "Patient",
    "Patient/1",
    "$export",
    "Patient/$export",
    "$export-status/0b6f2c1e-5d4a-4f7b-9c3e-2a1d0e9f8b7c",
    "$export-file/0b6f2c1e-5d4a-4f7b-9c3e-2a1d0e9f8b7c/Patient-1.ndjson",
]


@pytest.mark.parametrize("path", PATHS)
def test_it_answers_401_without_a_token(fhir, path):
    response = fhir(path)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.data["issue"][0]["code"] == "login"


@pytest.mark.parametrize("path", PATHS)
def test_it_answers_401_to_a_wrong_token(fhir, path):
    assert fhir(path, "ivig_not-a-real-token").status_code == 401


def test_it_answers_401_once_the_token_is_revoked(fhir, make_user, make_token, make_patient):
    admin = make_user("Admin")
    secret = make_token(admin)
    assert fhir("Patient", secret).status_code == 200

    revoke_token(by=admin, token=ApiToken.objects.get())

    assert fhir("Patient", secret).status_code == 401


def test_it_answers_401_when_the_user_is_deactivated(fhir, make_user, make_token):
    nurse = make_user("Nurse")
    secret = make_token(nurse)
    nurse.is_active = False
    nurse.save()

    assert fhir("Patient", secret).status_code == 401


def test_it_notes_when_a_token_was_last_used(fhir, make_user, make_token):
    secret = make_token(make_user("Nurse"))
    assert ApiToken.objects.get().last_used_at is None

    fhir("Patient", secret)

    assert ApiToken.objects.get().last_used_at is not None


def test_it_serves_the_openapi_schema_without_a_token(client):
    response = client.get("/fhir/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    assert "/fhir/{resource_type}" in schema["paths"]
    assert schema["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"


@pytest.mark.parametrize(
    ("role", "resource_type", "status"),
    [
        ("Scheduler", "Patient", 200),
        ("Scheduler", "MedicationRequest", 403),
        ("Scheduler", "Medication", 403),
        ("Nurse", "MedicationRequest", 200),
        ("Pharmacist", "MedicationDispense", 200),
    ],
)
def test_it_keeps_to_the_role_limits(fhir, make_user, make_token, role, resource_type, status):
    secret = make_token(make_user(role))

    response = fhir(resource_type, secret)

    assert response.status_code == status
    if status == 403:
        assert response.data["issue"][0]["code"] == "forbidden"
        assert fhir(f"{resource_type}/1", secret).status_code == 403
        assert fhir("$export", secret, _type=resource_type).status_code == 403


def test_it_leaves_forbidden_types_out_of_the_export(fhir, make_user, make_token):
    scheduler = make_user("Scheduler")
    secret = make_token(scheduler)

    assert fhir("$export", secret).status_code == 202

    types = set(ExportJob.objects.get().types)
    assert "Patient" in types
    assert not types & {"Medication", "MedicationRequest", "MedicationDispense"}
    assert types == {
        t for t in registry.resource_types() if any(may_read(s, scheduler) for s in registry.sources(t))
    }


def test_it_makes_and_revokes_tokens_on_the_tokens_page(client, make_user, fhir):
    nurse = make_user("Nurse")
    client.force_login(nurse)

    page = client.post(reverse("api_tokens:list"), {"name": "Ward dashboard"})

    secret = page.context["secret"]
    assert secret.startswith("ivig_")
    assert secret.encode() in page.content
    token = ApiToken.objects.get(user=nurse)
    assert token.token_sha256 != secret and secret not in token.token_sha256
    assert client.get(reverse("api_tokens:list")).content.count(secret.encode()) == 0  # shown once
    assert fhir("Patient", secret).status_code == 200

    client.post(reverse("api_tokens:revoke", args=[token.pk]))

    assert fhir("Patient", secret).status_code == 401
    actions = list(AuditEvent.objects.filter(target_type="fhir.ApiToken").values_list("action", flat=True))
    assert sorted(actions) == ["fhir.token_create", "fhir.token_revoke"]


def test_it_lets_no_one_revoke_another_users_token(client, make_user, make_token):
    make_token(make_user("Nurse"))
    client.force_login(make_user("Admin"))

    response = client.post(reverse("api_tokens:revoke", args=[ApiToken.objects.get().pk]))

    assert response.status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_it_refuses_a_blank_token_name(client, make_user):
    client.force_login(make_user("Nurse"))

    response = client.post(reverse("api_tokens:list"), {"name": "   "})

    assert response.status_code == 200
    assert not ApiToken.objects.exists()


def test_it_sends_anonymous_visitors_of_the_tokens_page_to_sign_in(client):
    response = client.get(reverse("api_tokens:list"))

    assert response.status_code == 302


def test_it_makes_a_token_from_the_command_line(make_user, fhir, capsys):
    make_user("Pharmacist")

    call_command("api_token", "create", "pharmacist", "--name", "Pharmacy system")
    secret = capsys.readouterr().out.strip()

    assert fhir("Medication", secret).status_code == 200
    call_command("api_token", "revoke", str(ApiToken.objects.get().pk))
    assert fhir("Medication", secret).status_code == 401
    assert AuditEvent.objects.filter(action="fhir.token_create", actor_username="system").exists()

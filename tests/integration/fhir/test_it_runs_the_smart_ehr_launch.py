"""SMART EHR launch: a staff user opens an app for a patient; the launch id carries that patient into the
app's token, once, for that user and app only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ivig.audit.models import AuditEvent
from ivig.smart.models import LaunchContext
from tests.plugins.smart import FHIR_BASE, query_of

pytestmark = pytest.mark.django_db
LAUNCH_URL = "https://app.example.org/launch"


@pytest.fixture
def ward(make_user, make_patient, make_app):
    nurse = make_user("Nurse")
    return {
        "nurse": nurse,
        "patient": make_patient(nurse, given_name="Ema", family_name="Ehr", mrn="EHR001"),
        "other": make_patient(nurse, given_name="Oli", family_name="Other", mrn="EHR002"),
        "app": make_app("Infusion diary", launch_url=LAUNCH_URL),
    }


def _launch(client, ward):
    """Open "Launch app" on the patient's page and pick the app; returns the launch id the app receives."""
    response = client.post(reverse("smart:launch", args=[ward["patient"].pk]), {"app": ward["app"].smart.pk})
    assert response.status_code == 302 and response.url.startswith(LAUNCH_URL + "?")
    params = query_of(response.url)
    assert params["iss"] == FHIR_BASE
    return params["launch"]


def test_the_patient_page_offers_the_launch_and_lists_the_apps(client, ward):
    client.force_login(ward["nurse"])

    chart = client.get(reverse("patients:detail", args=[ward["patient"].pk])).content.decode()
    page = client.get(reverse("smart:launch", args=[ward["patient"].pk]))

    assert reverse("smart:launch", args=[ward["patient"].pk]) in chart
    assert "Infusion diary" in page.content.decode()
    assert "form-action 'self' https://app.example.org" in page["Content-Security-Policy"]


def test_an_ehr_launch_gives_the_app_the_launch_patient_and_no_other(client, fhir, ward, authorize, exchange):
    client.force_login(ward["nurse"])
    launch = _launch(client, ward)

    flow = authorize(ward["app"], "launch patient/*.rs", launch=launch)
    assert "EHR001" in flow["consent"].content.decode()
    token = exchange(ward["app"], flow["code"], flow["verifier"])

    assert token.data["patient"] == str(ward["patient"].pk)
    assert token.data["scope"] == "launch patient/*.rs"
    access = token.data["access_token"]
    assert fhir(f"Patient/{ward['patient'].pk}", access).status_code == 200
    assert fhir(f"Patient/{ward['other'].pk}", access).status_code == 404
    assert fhir("Patient", access).data["total"] == 1
    event = AuditEvent.objects.get(action="smart.launch")
    assert (event.actor_username, event.patient_mrn) == ("nurse", "EHR001")


def test_a_launch_id_works_once(client, ward, authorize):
    client.force_login(ward["nurse"])
    launch = _launch(client, ward)
    assert authorize(ward["app"], "launch patient/*.rs", launch=launch)["code"]

    again = authorize(ward["app"], "launch patient/*.rs", launch=launch)

    assert query_of(again["consent"].url)["error"] == "invalid_request"


def test_approving_the_same_launch_twice_gives_one_code(client, ward, authorize):
    client.force_login(ward["nurse"])
    flow = authorize(ward["app"], "launch patient/*.rs", launch=_launch(client, ward))

    again = client.post(flow["post_url"], flow["data"])

    assert flow["code"]
    assert query_of(again.url)["error"] == "invalid_request"
    assert "code" not in query_of(again.url)


def test_a_launch_id_is_only_for_the_user_who_launched(client, make_user, ward, authorize):
    client.force_login(ward["nurse"])
    launch = _launch(client, ward)
    client.force_login(make_user("Prescriber"))

    flow = authorize(ward["app"], "launch patient/*.rs", launch=launch)

    assert query_of(flow["consent"].url)["error"] == "invalid_request"


def test_a_launch_id_expires(client, ward, authorize):
    client.force_login(ward["nurse"])
    launch = _launch(client, ward)
    LaunchContext.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    flow = authorize(ward["app"], "launch patient/*.rs", launch=launch)

    assert query_of(flow["consent"].url)["error"] == "invalid_request"


def test_a_portal_account_cannot_launch_apps_for_patients(client, make_user, ward):
    client.force_login(make_user("Patient", username="someone"))

    response = client.get(reverse("smart:launch", args=[ward["patient"].pk]))

    assert response.status_code == 403

"""SMART standalone launch, end to end: authorization code + PKCE (S256 only), the patient picked at consent,
the access token reading that patient and no other."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories.portal import PortalLinkFactory
from tests.plugins.smart import FHIR_BASE, REDIRECT_URI, query_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user, make_patient):
    nurse = make_user("Nurse")
    mine = make_patient(nurse, given_name="Mia", family_name="Mine", mrn="SMART1")
    other = make_patient(nurse, given_name="Oli", family_name="Other", mrn="SMART2")
    return {"nurse": nurse, "mine": mine, "other": other}


def test_a_portal_user_launches_an_app_that_reads_only_their_own_record(
    client, fhir, make_user, people, make_app, authorize, exchange
):
    app = make_app()
    parent = make_user("Patient", username="parent")
    PortalLinkFactory(user=parent, patient=people["mine"])
    client.force_login(parent)

    flow = authorize(app, "launch/patient patient/*.rs openid fhirUser")
    consent = flow["consent"]
    assert consent.status_code == 200
    assert "SMART1" in consent.content.decode()  # their own patient, taken at once
    redirect = flow["response"]
    assert redirect.status_code == 302 and redirect.url.startswith(REDIRECT_URI)
    assert query_of(redirect.url)["state"] == flow["state"]

    token = exchange(app, flow["code"], flow["verifier"])

    assert token.status_code == 200, token.data
    assert token.data["patient"] == str(people["mine"].pk)
    assert token.data["scope"] == "launch/patient patient/*.rs"  # openid, fhirUser are not offered
    assert token.data["expires_in"] == 3600
    assert token.data["token_type"] == "Bearer"
    assert "refresh_token" not in token.data  # no offline_access asked for
    access = token.data["access_token"]
    assert fhir(f"Patient/{people['mine'].pk}", access).status_code == 200
    assert fhir(f"Patient/{people['other'].pk}", access).status_code == 404
    assert fhir("Patient", access).data["total"] == 1


def test_a_staff_user_picks_the_patient_and_the_token_reads_no_other(
    client, fhir, people, make_app, authorize, exchange
):
    app = make_app()
    client.force_login(people["nurse"])

    found = client.get(
        reverse("smart:authorize"),
        {
            "response_type": "code",
            "client_id": app.client_id,
            "redirect_uri": REDIRECT_URI,
            "scope": "launch/patient patient/*.rs",
            "aud": FHIR_BASE,
            "code_challenge": "x" * 43,
            "code_challenge_method": "S256",
            "patient_search": "Mine",
        },
    )
    assert found.status_code == 200
    assert [p.mrn for p in found.context["decision"].choices] == ["SMART1"]

    flow = authorize(app, "launch/patient patient/*.rs", patient=people["mine"])
    token = exchange(app, flow["code"], flow["verifier"])
    access = token.data["access_token"]

    assert token.data["patient"] == str(people["mine"].pk)
    assert fhir(f"Patient/{people['mine'].pk}", access).status_code == 200
    assert fhir(f"Patient/{people['other'].pk}", access).status_code == 404
    assert fhir("Patient", access, _id=str(people["other"].pk)).data["total"] == 0


def test_a_staff_user_who_allows_without_picking_is_asked_again(client, people, make_app, authorize):
    app = make_app()
    client.force_login(people["nurse"])

    flow = authorize(app, "launch/patient patient/*.rs")

    assert flow["code"] is None
    assert flow["response"].status_code == 302
    assert flow["response"].url.startswith(reverse("smart:authorize"))


def test_a_parent_of_two_picks_one_of_them_and_never_another_patient(
    client, make_user, make_patient, people, make_app, authorize
):
    app = make_app()
    sibling = make_patient(people["nurse"], given_name="Sam", family_name="Mine", mrn="SMART3")
    parent = make_user("Patient", username="parent")
    for child in (people["mine"], sibling):
        PortalLinkFactory(user=parent, patient=child)
    client.force_login(parent)

    flow = authorize(app, "launch/patient patient/*.rs", patient=people["other"])

    choices = flow["consent"].context["decision"].choices
    assert sorted(p.mrn for p in choices) == ["SMART1", "SMART3"]
    assert flow["code"] is None
    assert query_of(flow["response"].url)["error"] == "access_denied"


def test_user_scopes_read_what_the_role_may_see(client, fhir, people, make_app, authorize, exchange):
    app = make_app()
    client.force_login(people["nurse"])

    flow = authorize(app, "user/*.rs")
    token = exchange(app, flow["code"], flow["verifier"])

    assert "patient" not in token.data
    assert fhir("Patient", token.data["access_token"]).data["total"] == 2


def test_offline_access_gives_a_refresh_token_that_keeps_the_patient(
    client, fhir, people, make_app, authorize, exchange
):
    app = make_app()
    client.force_login(people["nurse"])
    flow = authorize(app, "launch/patient patient/*.rs offline_access", patient=people["mine"])
    first = exchange(app, flow["code"], flow["verifier"]).data

    refreshed = client.post(
        reverse("smart:token"),
        {"grant_type": "refresh_token", "refresh_token": first["refresh_token"], "client_id": app.client_id},
    ).json()

    assert refreshed["patient"] == str(people["mine"].pk)
    assert refreshed["refresh_token"] != first["refresh_token"]
    assert fhir(f"Patient/{people['other'].pk}", refreshed["access_token"]).status_code == 404
    assert fhir(f"Patient/{people['mine'].pk}", refreshed["access_token"]).status_code == 200


def test_it_refuses_the_wrong_code_verifier(client, people, make_app, authorize, exchange):
    app = make_app()
    client.force_login(people["nurse"])
    flow = authorize(app, "user/*.rs")

    token = exchange(app, flow["code"], "a-wrong-verifier-" + "x" * 40)

    assert token.status_code == 400
    assert token.data["error"] == "invalid_grant"


def test_it_refuses_a_code_used_twice(client, people, make_app, authorize, exchange):
    app = make_app()
    client.force_login(people["nurse"])
    flow = authorize(app, "user/*.rs")
    assert exchange(app, flow["code"], flow["verifier"]).status_code == 200

    assert exchange(app, flow["code"], flow["verifier"]).data["error"] == "invalid_grant"


@pytest.mark.parametrize("method", ["plain", ""])
def test_it_refuses_plain_or_missing_pkce_methods(client, people, make_app, authorize, method):
    app = make_app()
    client.force_login(people["nurse"])

    flow = authorize(app, "user/*.rs", challenge_method=method)

    redirect = flow["consent"]
    assert redirect.status_code == 302
    assert query_of(redirect.url)["error"] == "invalid_request"
    assert query_of(redirect.url)["state"] == flow["state"]


def test_it_refuses_a_request_without_pkce(client, people, make_app):
    app = make_app()
    client.force_login(people["nurse"])

    response = client.get(
        reverse("smart:authorize"),
        {
            "response_type": "code",
            "client_id": app.client_id,
            "redirect_uri": REDIRECT_URI,
            "scope": "user/*.rs",
        },
    )

    assert query_of(response.url)["error"] == "invalid_request"


@pytest.mark.parametrize(
    ("scope", "aud", "error"),
    [
        (
            "user/*.rs",
            "https://elsewhere.example/fhir",
            "invalid_request",
        ),  # a token meant for another server
        ("patient/*.rs", FHIR_BASE, "invalid_scope"),  # patient scopes without a patient context
        ("launch patient/*.rs", FHIR_BASE, "invalid_request"),  # launch scope without the EHR's launch id
        ("system/*.rs", FHIR_BASE, "invalid_scope"),  # system scopes are for backend services
        ("openid fhirUser", FHIR_BASE, "invalid_scope"),  # nothing to read at all
        ("patient/*.rs?category=laboratory launch/patient", FHIR_BASE, "invalid_scope"),
    ],
)
def test_it_refuses_requests_it_cannot_honour(client, people, make_app, authorize, scope, aud, error):
    app = make_app()
    client.force_login(people["nurse"])

    flow = authorize(app, scope, aud=aud)

    assert flow["consent"].status_code == 302
    assert query_of(flow["consent"].url)["error"] == error


def test_the_user_may_say_no(client, people, make_app, authorize):
    app = make_app()
    client.force_login(people["nurse"])

    flow = authorize(app, "user/*.rs", allow=False)

    assert query_of(flow["response"].url)["error"] == "access_denied"


def test_it_asks_an_anonymous_browser_to_sign_in_first(client, make_app):
    app = make_app()
    url = reverse("smart:authorize") + f"?client_id={app.client_id}&response_type=code"

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_consent_page_lets_its_form_lead_back_to_the_app(client, people, make_app, authorize):
    app = make_app()
    client.force_login(people["nurse"])

    consent = authorize(app, "user/*.rs", allow=False)["consent"]

    policy = consent["Content-Security-Policy"]
    assert "form-action 'self' https://app.example.org" in policy
    assert "script-src 'self'" in policy

"""An Admin registers a SMART app (its keys, launch URL and service user) in the Django admin; registering,
changing it and every token issued are in the audit trail."""

from __future__ import annotations

import json

import pytest
from oauth2_provider.models import get_application_model

from ivig.audit.models import AuditEvent
from ivig.smart.models import SmartClient
from tests.plugins.smart import public_jwks, rsa_key

pytestmark = pytest.mark.django_db
ADD_URL = "/admin/oauth2_provider/application/add/"


def _admin_form(response, **changes):
    """The admin page's form as a browser would post it, with `changes`."""
    data = {}
    for form in [response.context["adminform"].form, *response.context["inline_admin_formsets"][0].formset]:
        for name in form.fields:
            value = form[name].value()
            if value not in (None, "") and not isinstance(value, bool):
                data[form.add_prefix(name)] = value
            elif value is True:
                data[form.add_prefix(name)] = "on"
    management = response.context["inline_admin_formsets"][0].formset.management_form
    data.update({management.add_prefix(name): management[name].value() for name in management.fields})
    data.update(changes)
    return data


def test_an_admin_registers_a_backend_service_and_it_is_audited(client, make_user):
    admin = make_user("Admin")
    admin.is_superuser = True
    admin.save()
    service_user = make_user("Pharmacist", username="svc-ehr")
    client.force_login(admin)
    page = client.get(ADD_URL)
    assert page.status_code == 200

    response = client.post(
        ADD_URL,
        _admin_form(
            page,
            name="EHR nightly sync",
            client_type="confidential",
            authorization_grant_type="client-credentials",
            algorithm="",
            **{
                "smart-0-jwks": json.dumps(public_jwks(rsa_key())),
                "smart-0-service_user": str(service_user.pk),
            },
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    app = get_application_model().objects.get(name="EHR nightly sync")
    assert SmartClient.objects.get(application=app).service_user == service_user
    event = AuditEvent.objects.get(action="smart.app_register")
    assert event.actor_username == "admin"
    assert event.after["service_user"] == "svc-ehr"
    assert event.after["keys"] == 1


def test_the_admin_refuses_a_private_key(client, make_user):
    admin = make_user("Admin")
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    page = client.get(ADD_URL)

    response = client.post(
        ADD_URL,
        _admin_form(
            page,
            name="Leaky",
            client_type="confidential",
            authorization_grant_type="client-credentials",
            algorithm="",
            **{"smart-0-jwks": json.dumps({"keys": [json.loads(rsa_key().export_private())]})},
        ),
    )

    assert response.status_code == 200
    assert "public keys only" in response.content.decode()
    assert not AuditEvent.objects.filter(action="smart.app_register").exists()


def test_each_token_issued_is_audited_with_its_patient(
    client, make_user, make_patient, make_app, authorize, exchange
):
    nurse = make_user("Nurse")
    patient = make_patient(nurse, mrn="AUD001")
    app = make_app("Chart viewer")
    client.force_login(nurse)

    flow = authorize(app, "launch/patient patient/*.rs", patient=patient)
    exchange(app, flow["code"], flow["verifier"])

    event = AuditEvent.objects.get(action="smart.token_issue")
    assert (event.actor_username, event.patient_mrn) == ("nurse", "AUD001")
    assert event.after["scope"] == "launch/patient patient/*.rs"
    assert event.after["grant_type"] == "authorization_code"

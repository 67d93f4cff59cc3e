"""The site table of identifier systems is kept by an administrator in the Django admin, every change
audited; our own MRN system and a system that is not a URI are refused; other roles cannot reach it."""

from __future__ import annotations

import pytest

from ivig.audit.models import AuditEvent
from ivig.patients.models import IdentifierSystem

pytestmark = pytest.mark.django_db

ADD = "/admin/patients/identifiersystem/add/"
OTHER = "http://other-hospital.example/mrn"


def test_an_admin_maps_changes_and_removes_a_system_and_each_step_is_audited(client, make_user):
    client.force_login(make_user("Admin"))

    added = client.post(ADD, {"uri": OTHER, "name": "Other hospital MRN", "use": "external", "active": "on"})

    assert added.status_code == 302, added.content.decode()[:2000]
    system = IdentifierSystem.objects.get()
    event = AuditEvent.objects.get(action="identifier_system.add")
    assert (
        event.actor_username == "admin" and event.after["uri"] == OTHER and event.after["use"] == "external"
    )

    changed = client.post(
        f"/admin/patients/identifiersystem/{system.pk}/change/",
        {"uri": OTHER, "name": "Other hospital MRN", "use": "mrn"},
    )

    assert changed.status_code == 302
    event = AuditEvent.objects.get(action="identifier_system.change")
    assert event.before == {"use": "external", "active": True} and event.after == {
        "use": "mrn",
        "active": False,
    }

    removed = client.post(f"/admin/patients/identifiersystem/{system.pk}/delete/", {"post": "yes"})

    assert removed.status_code == 302 and not IdentifierSystem.objects.exists()
    assert AuditEvent.objects.get(action="identifier_system.delete").before["uri"] == OTHER


@pytest.mark.parametrize(
    ("uri", "says"),
    [("urn:ivig:mrn", "our own MRN system"), ("other hospital", "absolute URI"), ("mrn", "absolute URI")],
)
def test_it_refuses_our_own_system_and_what_is_not_a_uri(client, make_user, uri, says):
    client.force_login(make_user("Admin"))

    response = client.post(ADD, {"uri": uri, "name": "X", "use": "external", "active": "on"})

    assert response.status_code == 200 and says in response.content.decode()
    assert not IdentifierSystem.objects.exists() and not AuditEvent.objects.filter(
        target_type__contains="Identifier"
    )


def test_other_roles_cannot_change_the_table(client, make_user):
    nurse = make_user("Nurse")
    nurse.is_staff = True  # even with admin-site access, the role lacks the permissions
    nurse.save()
    client.force_login(nurse)

    response = client.post(ADD, {"uri": OTHER, "name": "Other", "use": "external", "active": "on"})

    assert response.status_code in (302, 403)
    assert not IdentifierSystem.objects.exists()

"""Roles (groups), permissions and the staff and superuser flags are a superuser's to give: an Admin who is
not one cannot tick superuser on itself nor give itself a role, cannot change a superuser's account; a
superuser's change is audited as a privilege change."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from ivig.accounts.models import User
from ivig.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _user_form(user, **fields):
    form = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": "",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "groups": [str(group.pk) for group in Group.objects.all()],
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00",
        "initial-date_joined_0": "2026-01-01",
        "initial-date_joined_1": "09:00",
    }
    return {**form, **fields}


def test_an_admin_cannot_make_itself_a_superuser_or_give_itself_roles(client, make_user):
    admin = make_user("Admin")
    client.force_login(admin)

    response = client.post(f"/admin/accounts/user/{admin.pk}/change/", _user_form(admin))

    assert response.status_code == 302, response.content.decode()[:3000]
    admin.refresh_from_db()
    assert not admin.is_superuser
    assert admin.role_names == ["Admin"]


def test_an_admin_cannot_change_a_superusers_account(client, make_user):
    client.force_login(make_user("Admin"))
    root = User.objects.create_superuser("root", password="correct-horse-battery")

    response = client.post(f"/admin/accounts/user/{root.pk}/password/", {"password1": "x", "password2": "x"})

    assert response.status_code == 403


def test_a_superusers_role_change_is_audited(client, make_user):
    root = User.objects.create_superuser("root", password="correct-horse-battery")
    nurse = make_user("Nurse")
    client.force_login(root)

    response = client.post(
        f"/admin/accounts/user/{nurse.pk}/change/",
        _user_form(
            nurse, is_superuser="", is_staff="", groups=[str(Group.objects.get(name="Pharmacist").pk)]
        ),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    event = AuditEvent.objects.get(action="user.privileges_change")
    assert event.actor_username == "root" and event.target_id == str(nurse.pk)
    assert event.before["groups"] == ["Nurse"] and event.after["groups"] == ["Pharmacist"]

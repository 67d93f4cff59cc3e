"""Permissions are kept in the worker between requests, and every change of role, permission or device is
seen on the next request (ivig.accounts.access_cache)."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ivig.accounts import access_cache
from ivig.accounts.models import User
from ivig.accounts.roles import ADMINISTER_INFUSION, VIEW_PATIENT


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)  # as the next request loads it


def test_it_asks_the_database_for_permissions_once_per_version(client, make_user):
    nurse = make_user("Nurse")
    client.force_login(nurse)
    client.get(reverse("patients:list"))  # the first page asks

    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("patients:list")).status_code == 200
    sql = [query["sql"] for query in captured.captured_queries]
    assert [s for s in sql if "auth_permission" in s or "otp_totp" in s] == []
    assert any("accounts_user" in s for s in sql)  # the user row (and its access version) is read each time


def test_it_ends_access_on_the_next_request_when_a_role_is_removed(client, make_user):
    nurse = make_user("Nurse")
    client.force_login(nurse)
    assert client.get(reverse("patients:list")).status_code == 200

    nurse.groups.remove(Group.objects.get(name="Nurse"))

    assert client.get(reverse("patients:list")).status_code == 403


def test_it_gives_access_on_the_next_request_when_a_role_is_added(make_user):
    scheduler = make_user("Scheduler")
    assert not _fresh(scheduler).has_perm(ADMINISTER_INFUSION)  # cached under the old version

    scheduler.groups.add(Group.objects.get(name="Nurse"))

    assert _fresh(scheduler).has_perm(ADMINISTER_INFUSION)


def test_it_sees_a_permission_taken_from_a_role(make_user):
    nurse = make_user("Nurse")
    app_label, codename = VIEW_PATIENT.split(".")
    assert _fresh(nurse).has_perm(VIEW_PATIENT)

    Group.objects.get(name="Nurse").permissions.remove(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
    )

    assert not _fresh(nurse).has_perm(VIEW_PATIENT)


def test_it_never_writes_an_old_version_back_from_a_stale_copy(make_user):
    nurse = make_user("Nurse")
    stale = _fresh(nurse)
    assert stale.has_perm(VIEW_PATIENT)  # cached under the old version
    nurse.groups.clear()

    stale.first_name = "Renamed"
    stale.save()  # a copy loaded before the change, saved after it

    again = _fresh(nurse)
    assert again.first_name == "Renamed"
    assert again.access_version == _fresh(nurse).access_version > stale.access_version
    assert not again.has_perm(VIEW_PATIENT)


def test_it_sees_a_new_authenticator_on_the_next_request(make_user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    nurse = make_user("Nurse")
    assert access_cache.has_app_device(_fresh(nurse)) is False

    TOTPDevice.objects.create(user=nurse, name="Authenticator app", confirmed=True)

    assert access_cache.has_app_device(_fresh(nurse)) is True


def test_it_sees_a_role_renamed(make_user):
    nurse = make_user("Nurse")
    assert "Nurse" in access_cache.role_names(_fresh(nurse))
    group = Group.objects.get(name="Nurse")
    group.name = "Ward nurse"
    group.save()

    assert access_cache.role_names(_fresh(nurse)) == frozenset({"Ward nurse"})

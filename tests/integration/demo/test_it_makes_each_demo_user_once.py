"""The demo's one way to get or create a user in a role (the logins, the history's prescribers and nurses)."""

from __future__ import annotations

import pytest

from ivig.accounts.roles import sync_role_groups
from ivig.demo.users import role_user

pytestmark = pytest.mark.django_db


def test_it_makes_a_user_in_its_role_once_and_leaves_it_alone_after():
    sync_role_groups()
    nurse, created = role_user("night-nurse", "Nurse", first_name="Ada", last_name="Okoro")
    nurse.first_name = "Changed"
    nurse.save()
    again, created_again = role_user("night-nurse", "Nurse", first_name="Ada", last_name="Okoro")

    assert created and not created_again and again.pk == nurse.pk and again.first_name == "Changed"
    assert list(nurse.groups.values_list("name", flat=True)) == ["Nurse"]
    assert not nurse.has_usable_password() and not nurse.is_staff  # history only: never signs in


def test_a_login_gets_its_password_and_admin_is_staff():
    sync_role_groups()
    admin, _ = role_user("admin", "Admin", first_name="Demo", last_name="Admin", password="admin-demo-pw")
    pharmacist, _ = role_user("pharm", "Pharmacist", first_name="Demo", last_name="P", password="pharm-pw")

    assert admin.check_password("admin-demo-pw") and admin.is_staff and not admin.is_superuser
    assert pharmacist.check_password("pharm-pw") and not pharmacist.is_staff

"""IVIG_2FA_ROLES names roles: an unknown one stops the start naming the variable; `none` turns it off."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from ivig.config import env


def test_it_stops_the_start_naming_the_variable_for_an_unknown_role():
    with pytest.raises(ImproperlyConfigured, match="IVIG_2FA_ROLES='Admin,Doctor' is not valid"):
        env.load({"IVIG_2FA_ROLES": "Admin,Doctor"})


def test_it_accepts_role_names_in_any_case_and_none():
    assert env.load({"IVIG_2FA_ROLES": "admin, Nurse"}).strings("IVIG_2FA_ROLES") == ["admin", "Nurse"]
    production_off = env.load({"IVIG_ENV": "production", "IVIG_2FA_ROLES": "none"})
    assert production_off.strings("IVIG_2FA_ROLES") == ["none"]

"""Fixtures for people: staff users by role, patients, families on the portal."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest


@pytest.fixture
def make_user(db: None) -> Callable[..., Any]:
    """A user in a role (tests/factories/accounts.py); the username is the role, lowered, unless told."""
    from tests.factories.accounts import PASSWORD, UserFactory

    def make(role: str, username: str | None = None, password: str = PASSWORD) -> Any:
        return UserFactory(role=role, username=username or role.lower(), password=password)

    return make


@pytest.fixture
def make_patient(db: None) -> Callable[..., Any]:
    from ivig.patients import actions

    counter = iter(range(1, 10_000))

    def make(
        by: Any,
        *,
        mrn: str | None = None,
        given_name: str = "Ada",
        family_name: str = "Lovelace",
        date_of_birth: date = date(1990, 5, 17),
        sex_at_birth: str = "female",
        weight_kg: str | None = "62.5",
        height_cm: str | None = "165.0",
    ) -> Any:
        return actions.create_patient(
            by=by,
            mrn=mrn or f"T{next(counter):06d}",
            given_name=given_name,
            family_name=family_name,
            date_of_birth=date_of_birth,
            sex_at_birth=sex_at_birth,
            weight_kg=Decimal(weight_kg) if weight_kg else None,
            height_cm=Decimal(height_cm) if height_cm else None,
        )

    return make


@pytest.fixture
def portal_family(
    db: None, make_user: Callable[..., Any], make_patient: Callable[..., Any]
) -> Callable[..., Any]:
    """A parent's portal account linked to children: returns (parent, [children])."""
    from tests.factories.portal import PortalLinkFactory

    def make(username: str, *names: str, email: str = "") -> tuple[Any, list[Any]]:
        nurse = make_user("Nurse", username=f"nurse-for-{username}")
        parent = make_user("Patient", username=username)
        parent.email = email or f"{username}@example.org"
        parent.save()
        children = []
        for name in names:
            child = make_patient(nurse, given_name=name, family_name=username.capitalize())
            PortalLinkFactory(user=parent, patient=child)
            children.append(child)
        return parent, children

    return make

"""Shared fixtures: users by role, patients."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Argon2 is the production hasher (test_it_hashes_passwords_with_argon2 checks); tests need speed.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_user(db: None) -> Callable[..., Any]:
    from django.contrib.auth.models import Group

    from ivig.accounts.models import User
    from ivig.accounts.roles import sync_role_groups

    def make(role: str, username: str | None = None, password: str = "correct-horse-battery") -> User:
        if not Group.objects.filter(name=role).exists():
            sync_role_groups()  # transactional tests flush the groups the migration made
        user = User.objects.create_user(
            username=username or role.lower(), password=password, first_name="Test", last_name=role
        )
        user.groups.add(Group.objects.get(name=role))
        if role == "Admin":
            user.is_staff = True
            user.save()
        return user

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
def make_lot(db: None) -> Callable[..., Any]:
    """Receive a lot of a stocked product (Privigen 10 g unless told), registering the product once."""
    from ivig.inventory import actions
    from ivig.inventory.models import StockProduct

    def make(
        by: Any,
        *,
        lot_number: str = "P100",
        vials: int = 10,
        expiry_date: date = date(2099, 12, 31),
        catalog_slug: str = "privigen",
        vial_size_g: str = "10",
        received_on: date | None = None,
    ) -> Any:
        product = StockProduct.objects.filter(
            catalog_slug=catalog_slug, vial_size_g=Decimal(vial_size_g)
        ).first()
        if product is None:
            product = actions.register_product(
                by=by, catalog_slug=catalog_slug, vial_size_g=Decimal(vial_size_g)
            )
        movement = actions.receive_stock(
            by=by,
            product=product,
            lot_number=lot_number,
            expiry_date=expiry_date,
            quantity_vials=vials,
            today=received_on,
        )
        return movement.lot

    return make


@pytest.fixture
def make_order(db: None, make_patient: Callable[..., Any]) -> Callable[..., Any]:
    """Write (and by default sign) an order: ITP 1 g/kg x 2 days of Privigen for a 25 kg child unless told."""
    from ivig.orders import actions

    def make(prescriber: Any, *, patient: Any = None, sign: bool = True, **fields: Any) -> Any:
        today = date.today()
        patient = patient or make_patient(
            prescriber,
            given_name="Mia",
            date_of_birth=date(today.year - 8, 1, 15),
            weight_kg="25",
            height_cm=None,
        )
        values: dict[str, Any] = {
            "regimen": "itp",
            "route": "iv",
            "product_slug": "privigen",
            "dose_g_per_kg": Decimal("1"),
            "days": 2,
            "weight_kg": Decimal("25"),
            "height_cm": None,
            "labs": {"platelets": {"value": "12", "taken_on": today.isoformat()}},
            "screening": {"first_infusion": True},
            "justification": "Newly diagnosed ITP with bleeding",
        }
        values.update(fields)
        order = actions.save_draft(by=prescriber, patient=patient, fields=values)
        return actions.sign_order(by=prescriber, order=order) if sign else order

    return make

"""Shared fixtures: users by role, patients."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """The test database as pytest-django makes it, with deletes of audit rows allowed on SQLite: Django's
    flush between transactional tests runs DELETE FROM there, which the audit guard refuses otherwise
    (ivig.audit.guard; PostgreSQL's flush uses TRUNCATE, which the guard lets through)."""
    from ivig.audit.guard import allow_deletes_for_test_flush

    with django_db_blocker.unblock():
        allow_deletes_for_test_flush()


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
    from ivig.demo.orders import give_caution_reasons
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
        if not sign:
            return order
        if "caution_reasons" not in fields:
            # A real reason for each caution, as a prescriber gives before signing (issue 16).
            order = give_caution_reasons(prescriber, order, today)
        # Tests build a patient's history of orders on purpose: a second active order is meant (issue 17).
        return actions.sign_order(by=prescriber, order=order, overlap_acknowledged=True)

    return make


@pytest.fixture
def make_dispensed_order(
    db: None, make_user: Callable[..., Any], make_lot: Callable[..., Any], make_order: Callable[..., Any]
) -> Callable[..., Any]:
    """A signed, verified and dispensed order (the make_order default), with its lots."""
    from ivig.demo.orders import acknowledged_codes
    from ivig.orders.pharmacy import dispense_order, verify_order

    counter = iter(range(1, 10_000))

    def make(*, patient: Any = None) -> Any:
        from ivig.accounts.models import User

        prescriber = User.objects.filter(username="prescriber").first() or make_user("Prescriber")
        pharmacist = User.objects.filter(username="pharmacist").first() or make_user("Pharmacist")
        order = make_order(prescriber, patient=patient)
        verify_order(
            by=pharmacist,
            order=order,
            weight_kg=Decimal("25"),
            dose_confirmed=True,
            acknowledged=acknowledged_codes(order),
        )
        n = next(counter)
        big = make_lot(pharmacist, lot_number=f"BIG{n}", vials=2, vial_size_g="20")
        small = make_lot(pharmacist, lot_number=f"SMALL{n}", vials=2, vial_size_g="5")
        return dispense_order(by=pharmacist, order=order, picks=[(big, 2), (small, 2)])

    return make


@pytest.fixture
def portal_family(
    db: None, make_user: Callable[..., Any], make_patient: Callable[..., Any]
) -> Callable[..., Any]:
    """A parent's portal account linked to children: returns (parent, [children])."""
    from ivig.portal.models import PortalLink

    def make(username: str, *names: str, email: str = "") -> tuple[Any, list[Any]]:
        nurse = make_user("Nurse", username=f"nurse-for-{username}")
        parent = make_user("Patient", username=username)
        parent.email = email or f"{username}@example.org"
        parent.save()
        children = []
        for name in names:
            child = make_patient(nurse, given_name=name, family_name=username.capitalize())
            PortalLink.objects.create(user=parent, patient=child, relationship="parent")
            children.append(child)
        return parent, children

    return make


@pytest.fixture
def make_pk_patient(
    db: None, make_patient: Callable[..., Any], make_lot: Callable[..., Any]
) -> Callable[..., Any]:
    """A PI patient with a year of dispensed orders (every 4 weeks) and 3 IgG levels.

    The orders go through the real lifecycle (sign, verify, dispense); only their dispensing time is moved
    back afterwards, since the pharmacy records "now". Level 3 is the IgG on every order (the criteria ask
    for it); levels 1 (before the first dose) and 2 are typed in.
    """
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from ivig.demo.orders import acknowledged_codes, give_caution_reasons
    from ivig.orders import actions
    from ivig.orders.models import TherapyOrder
    from ivig.orders.pharmacy import dispense_order, suggested_picks, verify_order
    from ivig.patients.lab_actions import check_lab_value, record_lab_results

    def make(
        prescriber: Any,
        pharmacist: Any,
        *,
        levels: tuple[tuple[int, str], ...] = ((-370, "3.2"), (-190, "7.4"), (-10, "7.9")),
        orders: int = 13,
        dose_g_per_kg: str = "0.4",
        weight_kg: str = "70",
        mrn: str | None = None,
    ) -> Any:
        today = timezone.localdate()
        patient = make_patient(
            prescriber,
            mrn=mrn,
            given_name="Pat",
            family_name="Kinetics",
            weight_kg=weight_kg,
            height_cm="175",
        )
        for size in ("5", "10", "20"):
            make_lot(pharmacist, lot_number=f"PK{size}", vials=60, vial_size_g=size)
        last_day, last_value = levels[-1]
        for k in range(orders):
            draft = actions.save_draft(
                by=prescriber,
                patient=patient,
                fields={
                    "regimen": "pi",
                    "route": "iv",
                    "product_slug": "privigen",
                    "dose_g_per_kg": Decimal(dose_g_per_kg),
                    "repeat_interval_weeks": 4,
                    "weight_kg": Decimal(weight_kg),
                    "height_cm": Decimal("175"),
                    "labs": {
                        "igg": {"value": last_value, "taken_on": (today + timedelta(last_day)).isoformat()}
                    },
                    "screening": {},
                    "justification": "Primary immunodeficiency on replacement",
                },
            )
            draft = give_caution_reasons(prescriber, draft, today)
            order = actions.sign_order(by=prescriber, order=draft, overlap_acknowledged=True)  # a history
            order = verify_order(
                by=pharmacist,
                order=order,
                weight_kg=order.weight_kg,
                dose_confirmed=True,
                acknowledged=acknowledged_codes(order),
            )
            picks = [(p.lot, p.vials) for picks in suggested_picks(order, today).values() for p in picks]
            dispense_order(by=pharmacist, order=order, picks=picks)
            given = today - timedelta(days=364 - 28 * k)
            at = timezone.make_aware(datetime.combine(given, time(9, 30)))
            TherapyOrder.objects.filter(pk=order.pk).update(dispensed_at=at)
        entries = [
            check_lab_value(
                patient=patient, kind="igg", value=Decimal(v), unit="g/L", taken_on=today + timedelta(days=d)
            )
            for d, v in levels[:-1]
        ]
        record_lab_results(by=prescriber, entries=entries)
        return patient

    return make

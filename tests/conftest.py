"""Fixtures for every test: each lives in a plugin module under tests/plugins, registered here."""

from __future__ import annotations

from typing import Any

import pytest

pytest_plugins = [
    "tests.plugins.people",
    "tests.plugins.orders",
    "tests.plugins.pk",
    "tests.plugins.infusions",
    "tests.plugins.adverse_events",
    "tests.plugins.scheduling",
    "tests.plugins.home_routes",
    "tests.plugins.reports",
    "tests.plugins.pdf",
    "tests.plugins.smart",
    "tests.plugins.fhir",
]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """The test database as pytest-django makes it, with deletes of audit rows allowed on SQLite: Django's
    flush between transactional tests runs DELETE FROM there, which the audit guard refuses otherwise
    (ivig.audit.guard; PostgreSQL's flush uses TRUNCATE, which the guard lets through)."""
    from ivig.audit.guard import allow_deletes_for_test_flush

    with django_db_blocker.unblock():
        allow_deletes_for_test_flush()


@pytest.fixture(autouse=True)
def _fresh_access_cache() -> Any:
    # Rolled-back tests reuse user ids (SQLite): one test's cached permissions must not reach the next.
    from ivig.accounts import access_cache

    access_cache.forget_all()
    yield
    access_cache.forget_all()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Argon2 is the production hasher (test_it_hashes_passwords_with_argon2 checks); tests need speed.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

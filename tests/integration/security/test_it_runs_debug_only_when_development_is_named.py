"""Debug pages only when IVIG_ENV names development; production needs a long, real SECRET_KEY; an unknown
IVIG_ENV, or a deployment (ALLOWED_HOSTS) that does not say IVIG_ENV, stops the start naming the variable."""

from __future__ import annotations

import runpy

import pytest
from django.core.exceptions import ImproperlyConfigured

import ivig.config.settings

DEPLOY_VARIABLES = ("IVIG_ENV", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")


def _settings(monkeypatch, **environ):
    for name in DEPLOY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(ivig.config.settings.__file__)


def test_it_runs_without_debug_when_ivig_env_is_unset(monkeypatch):
    assert _settings(monkeypatch, DEBUG="true")["DEBUG"] is False


def test_it_runs_without_debug_for_tests(monkeypatch):
    assert _settings(monkeypatch, IVIG_ENV="test", DEBUG="true")["DEBUG"] is False


def test_it_runs_with_debug_when_development_is_named(monkeypatch):
    assert _settings(monkeypatch, IVIG_ENV="development")["DEBUG"] is True


def test_it_refuses_an_unknown_environment_naming_the_variable(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="IVIG_ENV='prod' is not valid"):
        _settings(monkeypatch, IVIG_ENV="prod")


@pytest.mark.parametrize(
    "key", ["short-key-0123456789", "django-insecure-development-only-key-do-not-use-in-production"]
)
def test_it_refuses_a_short_or_development_key_in_production(monkeypatch, key):
    with pytest.raises(ImproperlyConfigured, match="at least 50 random characters"):
        _settings(monkeypatch, IVIG_ENV="production", SECRET_KEY=key, ALLOWED_HOSTS="ivig.example.org")


def test_it_refuses_a_deployment_that_does_not_name_its_environment(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="IVIG_ENV is not set but ALLOWED_HOSTS is"):
        _settings(monkeypatch, ALLOWED_HOSTS="ivig.example.org")


def test_it_starts_in_production_with_a_long_key(monkeypatch):
    values = _settings(
        monkeypatch, IVIG_ENV="production", SECRET_KEY="k" * 50, ALLOWED_HOSTS="ivig.example.org"
    )

    assert values["DEBUG"] is False and values["PRODUCTION"] is True

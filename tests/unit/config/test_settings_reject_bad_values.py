"""A wrong environment value stops the start with a message naming the variable and what it accepts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from ivig.config import env

ROOT = Path(__file__).resolve().parents[3]


def _import_settings(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    base = {key: value for key, value in os.environ.items() if not key.startswith("IVIG_")}
    base.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-c", "import ivig.config.settings"],
        capture_output=True,
        text=True,
        env={**base, "IVIG_VAR_DIR": str(tmp_path), **variables},
        cwd=ROOT,
        timeout=60,
    )


def test_it_stops_the_start_naming_the_variable_and_what_it_accepts(tmp_path):
    result = _import_settings(tmp_path, IVIG_LOGIN_MAX_FAILURES="five")

    assert result.returncode != 0
    assert (
        "IVIG_LOGIN_MAX_FAILURES='five' is not valid: it accepts a whole number from 1 to 100"
        in result.stderr
    )


def test_it_starts_with_valid_values(tmp_path):
    result = _import_settings(tmp_path, IVIG_LOGIN_MAX_FAILURES="7", IVIG_VITALS_BEFORE_INCREASE="false")

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("IVIG_OBSERVE_AFTER_MIN", "0"),  # a duration above 0
        ("IVIG_IDLE_TIMEOUT_MINUTES", "30m"),
        ("IVIG_VITALS_BEFORE_INCREASE", "maybe"),
        ("IVIG_WEIGHT_CHANGE_CONFIRM_RATIO", "1"),  # every weight would need confirming
        ("IVIG_PUBLIC_URL", "ivig.example.org"),  # no scheme
        ("CSRF_TRUSTED_ORIGINS", "ivig.example.org"),
        ("DATABASE_URL", "postgress://host/ivig"),
        ("TIME_ZONE", "Toronto"),
        ("IVIG_ENV", "prod"),  # a typo must not run the development settings
        ("IVIG_FHIR_MRN_SYSTEM", "mrn"),
    ],
)
def test_it_refuses_each_kind_of_wrong_value(name, value):
    with pytest.raises(ImproperlyConfigured) as refused:
        env.load({name: value})

    assert f"{name}={value!r} is not valid: it accepts {env.registry()[name].accepts()}" in str(refused.value)


def test_it_lists_every_wrong_variable_at_once():
    with pytest.raises(ImproperlyConfigured) as refused:
        env.load({"EMAIL_PORT": "0", "IVIG_RENEWAL_NOTICE_DAYS": "-1"})

    assert "EMAIL_PORT" in str(refused.value)
    assert "IVIG_RENEWAL_NOTICE_DAYS" in str(refused.value)

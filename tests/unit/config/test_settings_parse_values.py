"""Valid values parse to their types, and every default is the one the settings always had."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ivig.config import env


@pytest.mark.parametrize(("raw", "expected"), [("false", False), ("0", False), ("no", False), ("1", True)])
def test_it_reads_false_as_false(raw, expected):
    # The old hand parser only knew "0": IVIG_VITALS_BEFORE_INCREASE=false came out True.
    assert env.load({"IVIG_VITALS_BEFORE_INCREASE": raw}).flag("IVIG_VITALS_BEFORE_INCREASE") is expected


def test_it_reads_true_as_true_for_e_mail_notifications():
    # The old parser only knew "1": IVIG_EMAIL_NOTIFICATIONS=true came out False.
    assert env.load({"IVIG_EMAIL_NOTIFICATIONS": "true"}).flag("IVIG_EMAIL_NOTIFICATIONS") is True


def test_it_keeps_every_default():
    values = env.load({})

    assert values.text("IVIG_ENV") == ""  # unset: no debug (settings.py), development keys and hosts
    assert values.flag("DEBUG") is True
    assert values.strings("ALLOWED_HOSTS") == ["127.0.0.1", "localhost", "[::1]", "testserver"]
    assert values.integer("IVIG_IDLE_TIMEOUT_MINUTES") == 30
    assert (values.integer("IVIG_LOGIN_MAX_FAILURES"), values.integer("IVIG_LOGIN_WINDOW_MINUTES")) == (5, 15)
    assert values.decimal("IVIG_WEIGHT_CHANGE_CONFIRM_RATIO") == Decimal("1.5")
    assert values.decimal("IVIG_INFUSION_WEIGHT_TOLERANCE_PCT") == Decimal("10")
    assert values.optional_integer("IVIG_COURSE_OUTCOME_DUE_DAYS") is None
    assert values.flag("IVIG_VITALS_BEFORE_INCREASE") is True
    assert values.number("IVIG_OBSERVE_AFTER_FIRST_MIN") == 60.0
    assert values.text("EMAIL_BACKEND") == "django.core.mail.backends.console.EmailBackend"
    assert values.flag("IVIG_EMAIL_NOTIFICATIONS") is False
    assert values.text("IVIG_FHIR_MRN_SYSTEM") == "urn:ivig:mrn"
    assert values.database_url("DATABASE_URL") == ""
    assert values.integer("IVIG_SMART_BACKEND_TOKEN_SECONDS") == 300


def test_it_sends_mail_through_smtp_in_production():
    values = env.load({"IVIG_ENV": "Production"})

    assert values.text("IVIG_ENV") == "production"
    assert values.text("EMAIL_BACKEND") == "django.core.mail.backends.smtp.EmailBackend"


def test_it_treats_an_empty_value_as_unset():
    values = env.load({"IVIG_COURSE_OUTCOME_DUE_DAYS": " ", "ALLOWED_HOSTS": "", "DATABASE_URL": ""})

    assert values.optional_integer("IVIG_COURSE_OUTCOME_DUE_DAYS") is None
    assert values.strings("ALLOWED_HOSTS") == ["127.0.0.1", "localhost", "[::1]", "testserver"]
    assert not values.is_set("ALLOWED_HOSTS")


def test_it_parses_lists_urls_and_numbers():
    values = env.load(
        {
            "ALLOWED_HOSTS": "ivig.example.org, ,www.example.org",
            "IVIG_PUBLIC_URL": "https://ivig.example.org/",
            "IVIG_COURSE_OUTCOME_DUE_DAYS": "90",
            "IVIG_VITALS_EARLY_MIN": "7.5",
            "LOG_LEVEL": "info",
            "IVIG_GS1_SEPARATOR_REPLACEMENT": "|",
        }
    )

    assert values.strings("ALLOWED_HOSTS") == ["ivig.example.org", "www.example.org"]
    assert values.text("IVIG_PUBLIC_URL") == "https://ivig.example.org"
    assert values.optional_integer("IVIG_COURSE_OUTCOME_DUE_DAYS") == 90
    assert values.number("IVIG_VITALS_EARLY_MIN") == 7.5
    assert values.text("LOG_LEVEL") == "INFO"
    assert values.text("IVIG_GS1_SEPARATOR_REPLACEMENT") == "|"


def test_it_refuses_to_read_a_variable_as_another_type():
    with pytest.raises(TypeError):
        env.load({}).text("IVIG_LOGIN_MAX_FAILURES")

"""SMART scopes: v2 letters and v1 words, what is granted to which client, how far a scope set reaches."""

from __future__ import annotations

import pytest

from ivig.smart.scopes import (
    Reach,
    ScopeError,
    SmartAccess,
    grantable,
    needs_patient,
    parse_resource_scope,
)


@pytest.mark.parametrize(
    ("text", "letters"),
    [
        ("patient/*.rs", "rs"),
        ("patient/Observation.r", "r"),
        ("user/Patient.cruds", "cruds"),
        ("system/*.s", "s"),
        ("patient/*.read", "rs"),
        ("user/*.write", "cud"),
        ("user/*.*", "cruds"),
    ],
)
def test_it_reads_v2_letters_and_v1_words(text, letters):
    parsed = parse_resource_scope(text)

    assert parsed is not None
    assert parsed.interactions == frozenset(letters)


@pytest.mark.parametrize(
    "text", ["patient/*.sr", "patient/*.x", "patient/Observation.rs?category=laboratory", "user/"]
)
def test_it_refuses_malformed_resource_scopes(text):
    with pytest.raises(ScopeError):
        parse_resource_scope(text)


def test_it_grants_what_an_app_may_have_and_drops_what_it_does_not_offer():
    requested = ["launch", "openid", "fhirUser", "patient/*.rs", "offline_access", "patient/*.rs"]

    assert grantable(requested, backend=False) == ["launch", "patient/*.rs", "offline_access"]


@pytest.mark.parametrize(
    ("scope", "backend"), [("system/*.rs", False), ("patient/*.rs", True), ("launch", True)]
)
def test_it_keeps_system_scopes_for_backend_services_only(scope, backend):
    with pytest.raises(ScopeError):
        grantable([scope], backend=backend)


def test_it_knows_when_a_patient_is_needed():
    assert needs_patient(["launch/patient", "patient/Observation.rs"])
    assert not needs_patient(["user/*.rs", "launch/patient"])


def test_user_scopes_reach_everything_the_role_may_see_and_patient_scopes_only_the_patient():
    access = SmartAccess.from_scope("patient/*.rs user/Patient.rs", patient_id=7, interaction="s")

    assert access.reach("Patient") is Reach.ALL
    assert access.reach("Observation") is Reach.PATIENT
    assert access.reach("Observation", "c") is Reach.NONE


def test_patient_scopes_without_a_patient_reach_nothing():
    assert SmartAccess.from_scope("patient/*.rs", patient_id=None).reach("Patient") is Reach.NONE


def test_it_round_trips_for_a_background_job():
    access = SmartAccess.from_scope("patient/Observation.rs user/*.c", patient_id=3, interaction="s")

    assert SmartAccess.from_dict(access.to_dict()) == access

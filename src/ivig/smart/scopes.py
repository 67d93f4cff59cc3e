"""SMART App Launch 2 scopes: parse them, decide which to grant, and say what a granted set lets a token do.

A resource scope is ``<context>/<type>.<interactions>``: context ``patient`` (only the launch patient's data),
``user`` (what the signed-in user may see) or ``system`` (a backend service); type a FHIR resource type or
``*``; interactions v2 letters in the order ``cruds`` (``rs``, ``r``, ``s``, ``cu``...) or the v1 words
``read`` (= ``rs``), ``write`` (= ``cud``) and ``*`` (= ``cruds``). A scope never grants more than the role
of the user the token acts for: ivig.fhir.scope applies both.

Pure Python: no Django, so the rules are easy to read and test.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any

CONTEXTS = ("patient", "user", "system")
V1_INTERACTIONS = {"read": "rs", "write": "cud", "*": "cruds"}
LAUNCH = "launch"
LAUNCH_PATIENT = "launch/patient"
OFFLINE_ACCESS = "offline_access"
# Scopes a SMART app commonly asks for that this server does not offer (no OpenID Connect, no encounter
# context, no online refresh): left out of the grant rather than failing the launch, as SMART allows.
NOT_OFFERED = frozenset({"openid", "fhirUser", "profile", "online_access", "launch/encounter"})
_RESOURCE_SCOPE = re.compile(
    r"^(?P<context>patient|user|system)/(?P<type>\*|[A-Z][A-Za-z]{1,63})\.(?P<interactions>[a-z*]+)$"
)
_V2_LETTERS = re.compile(r"^c?r?u?d?s?$")


class ScopeError(ValueError):
    """A scope this server cannot grant; the message says which and why (OAuth2 invalid_scope)."""


class Reach(Enum):
    """How far a token's scopes reach into one resource type, before the user's role limits."""

    NONE = "none"
    PATIENT = "patient"  # only the launch patient's resources
    ALL = "all"  # whatever the user's role may see


@dataclass(frozen=True)
class ResourceScope:
    context: str
    resource_type: str  # a FHIR type or "*"
    interactions: frozenset[str]  # letters of "cruds"

    def covers(self, resource_type: str, interaction: str) -> bool:
        return self.resource_type in ("*", resource_type) and interaction in self.interactions


def parse_resource_scope(text: str) -> ResourceScope | None:
    """The resource scope `text` names, or None when it is not one (``launch``, ``offline_access``...).

    Raises ScopeError for a resource scope with unknown interactions (``patient/*.x``). A v2 scope narrowed by
    a query (``patient/Observation.rs?category=laboratory``) is not offered here and also raises.
    """
    if "?" in text:
        raise ScopeError(f"{text}: scopes narrowed by search parameters are not offered by this server.")
    match = _RESOURCE_SCOPE.match(text)
    if match is None:
        if text.split("/", 1)[0] in CONTEXTS:
            raise ScopeError(f"{text} is not a SMART resource scope (e.g. patient/Observation.rs).")
        return None
    letters = match["interactions"]
    letters = V1_INTERACTIONS.get(letters, letters)
    if not letters or not _V2_LETTERS.match(letters):
        raise ScopeError(f"{text}: interactions are c, r, u, d, s in that order, or read, write, *.")
    return ResourceScope(match["context"], match["type"], frozenset(letters))


def grantable(requested: Iterable[str], *, backend: bool) -> list[str]:
    """The scopes to grant out of those requested, in their order; ScopeError for one that may not be.

    An app launched by a user may ask for ``patient/`` and ``user/`` scopes, ``launch``, ``launch/patient``
    and ``offline_access``; a backend service only for ``system/`` scopes. Scopes in NOT_OFFERED are
    dropped; any other scope is refused.
    """
    granted: list[str] = []
    for text in requested:
        if not text or text in granted:
            continue
        resource = parse_resource_scope(text)
        if resource is not None:
            if backend and resource.context != "system":
                raise ScopeError(f"{text}: a backend service asks for system/ scopes only.")
            if not backend and resource.context == "system":
                raise ScopeError(f"{text}: system/ scopes are for backend services (client credentials).")
            granted.append(text)
        elif text in NOT_OFFERED:
            continue
        elif not backend and text in (LAUNCH, LAUNCH_PATIENT, OFFLINE_ACCESS):
            granted.append(text)
        else:
            raise ScopeError(f"{text} is not a scope this server offers.")
    return granted


def needs_patient(scopes: Iterable[str]) -> bool:
    """Whether the scopes ask for a patient context (a patient/ scope)."""
    return any((parsed := _quiet(text)) is not None and parsed.context == "patient" for text in scopes)


def _quiet(text: str) -> ResourceScope | None:
    try:
        return parse_resource_scope(text)
    except ScopeError:
        return None


def describe(text: str) -> str:
    """A scope in words for the consent page."""
    fixed = {
        LAUNCH: "Open in the context of the patient you launched it from",
        LAUNCH_PATIENT: "Ask which patient to work on",
        OFFLINE_ACCESS: "Keep access when you are not signed in (a refresh token)",
    }
    if text in fixed:
        return fixed[text]
    parsed = _quiet(text)
    if parsed is None:
        return text
    words = [
        word
        for letter, word in (
            ("c", "create"),
            ("r", "read"),
            ("u", "update"),
            ("d", "delete"),
            ("s", "search"),
        )
        if letter in parsed.interactions
    ]
    what = "all records" if parsed.resource_type == "*" else f"{parsed.resource_type} records"
    whose = {
        "patient": "of the selected patient",
        "user": "you may see",
        "system": "the service user may see",
    }[parsed.context]
    return f"{', '.join(words).capitalize()} {what} {whose}"


@dataclass(frozen=True)
class SmartAccess:
    """What a SMART access token may do: its resource scopes, its launch patient, and the interaction of the
    request at hand ("r" read, "s" search or export, "c" create)."""

    scopes: tuple[ResourceScope, ...]
    patient_id: int | None = None
    interaction: str = "r"

    @classmethod
    def from_scope(cls, scope: str, *, patient_id: int | None, interaction: str = "r") -> SmartAccess:
        parsed = tuple(found for text in scope.split() if (found := _quiet(text)) is not None)
        return cls(parsed, patient_id, interaction)

    def reach(self, resource_type: str, interaction: str | None = None) -> Reach:
        """How far the scopes reach into `resource_type` for the interaction (this request's by default)."""
        wanted = interaction or self.interaction
        covering = [scope for scope in self.scopes if scope.covers(resource_type, wanted)]
        if any(scope.context in ("user", "system") for scope in covering):
            return Reach.ALL
        if covering and self.patient_id is not None:
            return Reach.PATIENT
        return Reach.NONE

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form, so a background job can read with the same limits as the request."""
        return {
            "scope": " ".join(
                f"{s.context}/{s.resource_type}.{''.join(c for c in 'cruds' if c in s.interactions)}"
                for s in self.scopes
            ),
            "patient_id": self.patient_id,
            "interaction": self.interaction,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SmartAccess:
        return cls.from_scope(data["scope"], patient_id=data["patient_id"], interaction=data["interaction"])

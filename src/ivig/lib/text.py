"""Checks on free text typed for a record, shared by the forms and actions that take it (patient names,
lot numbers, stock locations): no invisible text-direction characters
(ivig.clinical.identity.bidi_problem)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from ivig.clinical.identity import bidi_problem


def validate_no_bidi(value: str, what: str) -> None:
    """Raise ValidationError naming the character when `value` holds a text-direction control."""
    problem = bidi_problem(value, what)
    if problem:
        raise ValidationError(problem, code="bidi_control")

"""A caution goes on only with a written reason: real words, not a character."""

from __future__ import annotations

import pytest

from ivig.clinical.reasons import is_reason, reason_problem


@pytest.mark.parametrize(
    "typed", ["", "  ", "x", "x.", "ok", "asdf", "aaaa bbbb", "ok ok ok", "..", "12345 678"]
)
def test_it_refuses_a_reason_that_is_not_words(typed: str) -> None:
    assert reason_problem(typed)
    assert not is_reason(typed)


@pytest.mark.parametrize(
    "typed", ["Haematology advice, refractory ITP", "Only product in stock", "AHA 2017: day 9 of fever"]
)
def test_it_accepts_a_reason_a_colleague_can_act_on(typed: str) -> None:
    assert reason_problem(typed) == ""

"""The one MRN and birth-date rule the page, the import and the CLI share (ivig.clinical.identity)."""

from __future__ import annotations

from datetime import date

import pytest

from ivig.clinical.identity import (
    EARLIEST_BIRTH_DATE,
    birth_date_problem,
    mrn_problem,
    normalise_mrn,
    text_problem,
)

TODAY = date(2026, 3, 1)


@pytest.mark.parametrize(
    ("entered", "stored"),
    [("rb100001", "RB100001"), ("  Rb100001\t", "RB100001"), ("ab-12", "AB-12"), ("ß1", "ß1")],
)
def test_it_normalises_case_and_blanks_at_the_ends_only(entered, stored):
    assert normalise_mrn(entered) == stored


@pytest.mark.parametrize("mrn", ["RB100001", "AB-12", "7", "X" * 32])
def test_it_accepts_letters_digits_and_hyphens(mrn):
    assert mrn_problem(mrn) is None


@pytest.mark.parametrize(
    ("mrn", "says"),
    [
        ("", "Enter the medical record number"),
        ("RB<b>1</b>", "markup"),
        ("RB&1", "markup"),
        ('RB"1', "markup"),
        ("RB'1", "markup"),
        ("RB 100001", "a space"),
        ("RB\u00a0100001", "a space"),
        ("RB\x00100001", "NUL byte"),
        ("RB\x07100001", "control character (U+0007)"),
        ("RB\u200b100001", "control character (U+200B)"),
        ("RB\u202e100001", "text-direction character (U+202E)"),
        ("RB\u2066100001", "text-direction character (U+2066)"),
        ("RB100001\u200f", "text-direction character (U+200F)"),
        ("RB\u061c1", "text-direction character (U+061C)"),
        ("ＲＢ100001", "(U+FF32)"),  # full-width letters look like ours but are another number
        ("RВ100001", "(U+0412)"),  # a Cyrillic В
        ("ß1", "(U+00DF)"),
        ("RB/1", "'/'"),
        ("---", "no letter or digit"),
        ("X" * 33, "at most 32"),
    ],
)
def test_it_refuses_what_is_not_a_plain_mrn_and_says_what_it_found(mrn, says):
    problem = mrn_problem(mrn)
    assert problem is not None and says in problem
    assert problem.startswith(("Use only letters, digits and hyphens", "Enter", "The medical record number"))


@pytest.mark.parametrize(
    ("born", "says"),
    [
        (date(1, 1, 1), "before 1900"),
        (date(1899, 12, 31), "before 1900"),
        (date(2026, 3, 2), "cannot be in the future"),
    ],
)
def test_it_refuses_implausible_birth_dates(born, says):
    problem = birth_date_problem(born, TODAY)
    assert problem is not None and says in problem


@pytest.mark.parametrize("born", [EARLIEST_BIRTH_DATE, date(1900, 1, 1), date(2026, 3, 1), date(2015, 4, 2)])
def test_it_accepts_plausible_birth_dates(born):
    assert birth_date_problem(born, TODAY) is None


def test_names_hold_no_text_direction_or_control_characters():
    assert text_problem("\u05d3\u05d5\u05d3", "name") is None  # Hebrew: the display orders it unaided
    # Issue 22: the marks too (invisible; they move neighbouring digits and punctuation).
    assert "U+200F" in (text_problem("\u05d3\u05d5\u05d3\u200f", "name") or "")
    assert "NUL" in (text_problem("Ada\x00", "name") or "")
    assert "U+202E" in (text_problem("Ada\u202e", "name") or "")
    assert "U+001B" in (text_problem("Ada\x1b[31m", "name") or "")

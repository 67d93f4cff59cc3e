"""Who a patient is: the rules for medical record numbers and birth dates, one set for every way in.

The registration page, update, the FHIR import and the command line all call these (through the Patient
model's validators), so a number refused on the page is refused in an import too.

An MRN is normalised before it is checked or stored: blanks at either end dropped, ASCII letters upper-cased
(``rb100001`` is ``RB100001``: two patients must never differ only by case). Only ASCII is upper-cased, so
``ß`` is not quietly turned into ``SS``; it is refused instead, like every character that is not an ASCII
letter, digit or hyphen. The refusals say what was found: markup, a space, a NUL byte, a control character,
an invisible text-direction (bidi) character, or a look-alike letter from another script.
"""

from __future__ import annotations

import unicodedata
from datetime import date

MRN_MAX_LENGTH = 32
# The oldest person whose age was ever verified lived 122 years (1875-1997); nobody born before 1900 is a
# patient now (126 years in 2026). Dates before it are typing slips or placeholders other systems use for
# "unknown" (0001-01-01, 1899-12-31, 1900-01-00). Move it forward when that margin has gone (about 2030).
EARLIEST_BIRTH_DATE = date(1900, 1, 1)

MRN_RULE = "Use only letters, digits and hyphens in the medical record number"
_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_MRN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
_MARKUP = frozenset("<>&\"'`")
# Invisible characters that change the order text is shown in (Unicode Bidirectional Algorithm, UAX #9):
# embeddings and overrides, isolates, and the marks. "RB1\u202e0010" shows as another number than it is.
BIDI_CONTROLS = frozenset(
    [*map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A)), "\u200e", "\u200f", "\u061c"]
)


def bidi_problem(text: str, what: str) -> str | None:
    """Why text typed for a record (a name, a lot number, a location) cannot be stored: it holds an invisible
    text-direction character (embedding, override, isolate or mark, U+202A-U+202E, U+2066-U+2069, U+200E,
    U+200F, U+061C), which can show it as other text than it is. None when it holds none."""
    for ch in text:
        if ch in BIDI_CONTROLS:
            return (
                f"The {what} holds an invisible text-direction character ({_codepoint(ch)}), which can make"
                " it show as other text than it is: type it again without it."
            )
    return None


def normalise_mrn(text: str) -> str:
    """Drop blanks at either end and upper-case ASCII letters: the form MRNs are stored and found in."""
    return text.strip().translate(_ASCII_UPPER)


def _codepoint(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def mrn_problem(mrn: str) -> str | None:
    """Why this (normalised) MRN cannot be a medical record number, or None when it can."""
    if not mrn:
        return "Enter the medical record number."
    if "\x00" in mrn:
        return f"{MRN_RULE}: it holds a NUL byte."
    bidi = [ch for ch in mrn if ch in BIDI_CONTROLS]
    if bidi:
        return (
            f"{MRN_RULE}: it holds an invisible text-direction character ({_codepoint(bidi[0])}) that can "
            "make it read as another number on screen."
        )
    control = [ch for ch in mrn if unicodedata.category(ch) in ("Cc", "Cf")]
    if control:
        return f"{MRN_RULE}: it holds a control character ({_codepoint(control[0])})."
    if any(ch.isspace() for ch in mrn):
        return f"{MRN_RULE}: it holds a space."
    if any(ch in _MARKUP for ch in mrn):
        return f"{MRN_RULE}: it holds markup characters (<, >, &, quotes)."
    other = [ch for ch in mrn if ch not in _MRN_CHARS]
    if other:
        return f"{MRN_RULE} (A-Z, 0-9): it holds {other[0]!r} ({_codepoint(other[0])})."
    if mrn.strip("-") == "":
        return f"{MRN_RULE}: it has no letter or digit."
    if len(mrn) > MRN_MAX_LENGTH:
        return f"The medical record number has {len(mrn)} characters; at most {MRN_MAX_LENGTH}."
    return None


def text_problem(text: str, what: str) -> str | None:
    """Why free text (a name, another system's identifier) cannot be stored: NUL, control or bidi override
    characters, which no keyboard types and which can hide or reorder what is shown. None when it can."""
    for ch in text:
        if ch == "\x00":
            return f"The {what} holds a NUL byte."
        if ch in BIDI_CONTROLS:
            return bidi_problem(ch, what)
        if unicodedata.category(ch) == "Cc":
            return f"The {what} holds a control character ({_codepoint(ch)})."
    return None


def birth_date_problem(born: date, today: date) -> str | None:
    """Why this cannot be a patient's date of birth (in the future, or before EARLIEST_BIRTH_DATE)."""
    if born > today:
        return f"Date of birth cannot be in the future ({born.isoformat()})."
    if born < EARLIEST_BIRTH_DATE:
        return (
            f"Check the date of birth: {born.isoformat()} is before {EARLIEST_BIRTH_DATE.year}, older than "
            "anyone alive (a placeholder for an unknown date?)."
        )
    return None

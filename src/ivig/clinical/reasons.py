"""Written reasons for going past a caution: real words, not a character typed to get by."""

from __future__ import annotations

import re

# A reason a colleague can act on: at least this many letters, in at least two words.
MIN_LETTERS = 10
MIN_WORDS = 2
_WORD = re.compile(r"[^\W\d_]{2,}")
# Words that say nothing about why (typed to get past a prompt).
_EMPTY_WORDS = frozenset(
    {
        "ok",
        "okay",
        "yes",
        "no",
        "na",
        "n/a",
        "none",
        "override",
        "asdf",
        "test",
        "xx",
        "xxx",
        "reason",
        "fine",
    }
)


def reason_problem(text: str | None) -> str:
    """Return why `text` is not a usable reason, or "" when it is one."""
    cleaned = (text or "").strip()
    if not cleaned:
        return "Give a reason."
    words = [w.lower() for w in _WORD.findall(cleaned)]
    meaningful = [w for w in words if w not in _EMPTY_WORDS and len(set(w)) > 1]
    letters = sum(len(w) for w in meaningful)
    if len(meaningful) < MIN_WORDS or letters < MIN_LETTERS:
        return (
            f"{cleaned[:40]!r} is not a reason: say in words why this is right for this patient "
            "(for example the guideline, the specialist's advice or the clinical situation)."
        )
    return ""


def is_reason(text: str | None) -> bool:
    return not reason_problem(text)

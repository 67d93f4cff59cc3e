"""The committed Spanish .mo matches its .po: every message translated, no stale compile."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[2] / "src" / "ivig" / "locale" / "es" / "LC_MESSAGES"


def _po_messages() -> dict[str, str]:
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    found = {}
    for block in text.split("\n\n"):
        if "msgid_plural" in block:
            continue
        match = re.search(r'^msgid ((?:".*"\n?)+)msgstr ((?:".*"\n?)+)', block, re.MULTILINE)
        if match:

            def joined(part: str) -> str:
                return (
                    "".join(re.findall(r'"(.*)"', part))
                    .encode()
                    .decode("unicode_escape")
                    .encode("latin-1")
                    .decode("utf-8")
                )

            found[joined(match.group(1))] = joined(match.group(2))
    found.pop("", None)
    return found


def test_every_message_is_translated_and_compiled():
    messages = _po_messages()
    with (LOCALE / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)

    assert len(messages) > 150
    untranslated = [msgid for msgid, msgstr in messages.items() if not msgstr]
    stale = [msgid for msgid, msgstr in messages.items() if compiled.gettext(msgid) != msgstr]
    assert untranslated == []
    assert stale == []

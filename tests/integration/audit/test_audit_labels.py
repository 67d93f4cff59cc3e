"""The audit page says what happened in words; every action code the code base records has a label."""

from __future__ import annotations

import re
from pathlib import Path

from django.urls import reverse

from ivig.audit.labels import ACTION_LABELS, action_label
from ivig.inventory.models import Lot
from ivig.scheduling.actions import NEXT_STATUS

SRC = Path(__file__).resolve().parents[3] / "src" / "ivig"
# How each app's helper turns its short code into the action it records.
PREFIXED = {
    r"\blog_event\(\s*\"([a-z_]+)\"": "order.",
    r"\blog_event\(\s*\"[a-z_]+\" if [^\n]* else \"([a-z_]+)\"": "order.",
    r"(?<![\w.])_log\(\s*\"([a-z_]+)\"": "appointment.",
    r"(?<![\w.])log\(\s*[\w.]+,\s*\"([a-z_]+)\"": "infusion.",
    r"(?<![\w.])_audit\(\s*\"([a-z_]+)\"": "conservation.",
}


def recorded_codes() -> set[str]:
    """Every action code the source records: literal ones, and those built by the apps' helpers."""
    codes: set[str] = set()
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        codes |= set(re.findall(r"\baction=\"([a-z_]+\.[a-z_]+)\"", text))
        codes |= set(re.findall(r"\b_store\([^)]*\"([a-z_]+\.[a-z_]+)\"", text))
        for pattern, prefix in PREFIXED.items():
            if prefix != "infusion." or "infusions" in path.parts:
                codes |= {prefix + code for code in re.findall(pattern, text)}
    codes |= {
        f"appointment.{'no_show' if s == 'no_show' else s}" for after in NEXT_STATUS.values() for s in after
    }
    codes |= {f"stock.lot_{status}" for status in Lot.Status.values}
    return codes


def test_every_recorded_action_has_a_label():
    codes = recorded_codes()

    assert len(codes) > 60  # the collector still finds the code base's actions
    assert sorted(codes - set(ACTION_LABELS)) == []


def test_the_audit_page_shows_the_label(client, make_user, make_patient):
    make_patient(make_user("Nurse"), mrn="LBL00001")
    client.force_login(make_user("Quality"))

    html = client.get(reverse("audit:list")).content.decode()

    assert "Patient registered" in html
    assert action_label("order.sign") == "Order signed"


def test_an_unknown_code_still_reads_as_words():
    assert action_label("widget.colour_change") == "Widget: colour change"

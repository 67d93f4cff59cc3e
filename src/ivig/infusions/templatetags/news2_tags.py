"""NEWS2 on the flowsheet and the record, as small includes so the page templates only gain one line each."""

from __future__ import annotations

from typing import Any

from django import template

from ivig import clock
from ivig.infusions import news2
from ivig.infusions.models import InfusionSession, VitalSigns

register = template.Library()

# The tag colour of each response band: the two urgent bands and the emergency one are shown as stops.
BAND_TAG = {
    "routine": "",
    "nurse_assesses": "tag-caution",
    "urgent_ward_review": "tag-stop",
    "urgent_response": "tag-stop",
    "emergency_response": "tag-stop",
}


@register.inclusion_tag("infusions/_news2.html")
def news2_score(vitals: VitalSigns) -> dict[str, Any]:
    """One reading's NEWS2 as kept with it, and the two observations only NEWS2 asks for."""
    score = vitals.news2
    observed = [
        {True: "on oxygen", False: "on air", None: ""}[vitals.on_oxygen],
        vitals.get_consciousness_display() if vitals.consciousness else "",
    ]
    return {
        "score": score,
        "tag": BAND_TAG.get((score or {}).get("band", ""), ""),
        "observed": ", ".join(o for o in observed if o),
    }


@register.inclusion_tag("infusions/_news2_latest.html")
def news2_latest(session: InfusionSession) -> dict[str, Any]:
    """The live panel's box: the latest reading's NEWS2, or why there is none."""
    # The flowsheet has read the session's readings already (a few dozen at most): no query of its own.
    latest = max(session.vitals.all(), key=lambda v: (v.taken_at, v.pk), default=None)
    score = latest.news2 if latest is not None else None
    return {
        "latest": latest,
        "score": score,
        "tag": BAND_TAG.get((score or {}).get("band", ""), ""),
        "why_not": news2.why_not_scored(session, clock.localdate()),
    }


@register.inclusion_tag("infusions/_news2_banner.html")
def news2_banner(session: InfusionSession) -> dict[str, Any]:
    """A banner while a patient NEWS2 does not score has no site ranges for the age: nothing would flag."""
    day = clock.localdate()
    return {"gap": news2.range_gap(session, day), "why_not": news2.why_not_scored(session, day)}

"""The care team's after-infusion worklist: entries that need a call (worst first) and missing diaries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef

from ivig.clinical.triage import Level
from ivig.followup.models import DIARY_HOURS, FOLLOW_UP_HOURS, Contact, DiaryEntry, FollowUp

ROW_LIMIT = 100
# Missing diaries stay on the list until a day after the follow-up ends, so a silent family is still called.
MISSING_LISTED_FOR = timedelta(hours=FOLLOW_UP_HOURS + 24)


@dataclass(frozen=True)
class Worklist:
    to_call: list[DiaryEntry]
    missing: Sequence[FollowUp]


def build(now: datetime) -> Worklist:
    to_call = list(
        DiaryEntry.objects.filter(level__gte=Level.CALL_TODAY, reviewed_at__isnull=True)
        .select_related("follow_up__patient", "follow_up__order")
        .prefetch_related("contacts")
        .order_by("-level", "recorded_at")[:ROW_LIMIT]
    )
    first_due = timedelta(hours=DIARY_HOURS[0])
    missing = list(
        FollowUp.objects.filter(ended_at__lte=now - first_due, ended_at__gt=now - MISSING_LISTED_FOR)
        .annotate(has_entry=Exists(DiaryEntry.objects.filter(follow_up=OuterRef("pk"))))
        .annotate(
            answered=Exists(
                Contact.objects.filter(follow_up=OuterRef("pk")).exclude(outcome=Contact.Outcome.NO_ANSWER)
            )
        )
        .filter(has_entry=False, answered=False)
        .select_related("patient", "order")
        .prefetch_related("contacts")
        .order_by("ended_at")[:ROW_LIMIT]
    )
    return Worklist(to_call=to_call, missing=missing)

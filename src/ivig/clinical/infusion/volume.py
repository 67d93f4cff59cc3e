"""The volume given: each recorded pump rate times how long it ran."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

MIN_PER_H = 60.0


@dataclass(frozen=True, slots=True)
class RateSegment:
    started_at: datetime
    ended_at: datetime | None  # None: still running
    rate_ml_per_h: float  # 0 while paused


def segment_volume_ml(segment: RateSegment, until: datetime) -> float:
    end = segment.ended_at or until
    if end <= segment.started_at:
        return 0.0
    hours = (end - segment.started_at).total_seconds() / 3600.0
    return segment.rate_ml_per_h * hours


def volume_given_ml(segments: Sequence[RateSegment], until: datetime) -> float:
    """Sum rate x time over the segments; a running segment counts up to `until`."""
    return sum(segment_volume_ml(s, until) for s in segments)


def running_minutes(segments: Sequence[RateSegment], until: datetime) -> float:
    """Minutes the pump ran (paused segments excluded)."""
    total = 0.0
    for segment in segments:
        end = segment.ended_at or until
        if segment.rate_ml_per_h > 0 and end > segment.started_at:
            total += (end - segment.started_at).total_seconds() / MIN_PER_H
    return total

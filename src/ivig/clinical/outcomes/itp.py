"""ITP response by the International Working Group criteria (Rodeghiero et al., Blood 2009;113:2386).

Per count (docs/reference/outcomes.md s10): complete response (CR) = platelets >= 100 x10^9/L and no bleeding;
response (R) = >= 30 x10^9/L and at least double the baseline and no bleeding; otherwise no response (NR).
CR or R is confirmed by counts on 2 occasions >= 7 days apart; no response, or loss of a response, by counts
>= 1 day apart. Here "confirmed" means every count from the first to the last of those occasions meets the
level (a count in between that does not starts the run again).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

# Rodeghiero 2009 (docs/reference/outcomes.md s10).
CR_PLATELETS_10E9_PER_L = 100.0
R_PLATELETS_10E9_PER_L = 30.0
R_BASELINE_MULTIPLE = 2.0
RESPONSE_CONFIRM_DAYS = 7
LOSS_CONFIRM_DAYS = 1


class ItpResponse(StrEnum):
    COMPLETE = "complete-response"
    RESPONSE = "response"
    NO_RESPONSE = "no-response"
    PENDING = "not-yet-confirmed"  # no class confirmed yet


_RANK = {ItpResponse.NO_RESPONSE: 0, ItpResponse.RESPONSE: 1, ItpResponse.COMPLETE: 2}


@dataclass(frozen=True, slots=True)
class PlateletCount:
    on: date
    platelets_10e9_per_l: float
    bleeding: bool = False

    def __post_init__(self) -> None:
        if self.platelets_10e9_per_l < 0:
            raise ValueError("a platelet count cannot be negative")


@dataclass(frozen=True, slots=True)
class ItpAssessment:
    baseline_10e9_per_l: float
    counts: tuple[PlateletCount, ...]  # sorted by date
    classes: tuple[ItpResponse, ...]  # each count on its own
    statuses: tuple[ItpResponse, ...]  # the confirmed status after each count
    unconfirmed_change: bool  # the last count differs from the status and awaits confirmation

    @property
    def status(self) -> ItpResponse:
        return self.statuses[-1] if self.statuses else ItpResponse.PENDING


def classify_count(count: PlateletCount, baseline_10e9_per_l: float) -> ItpResponse:
    """Return the class one count meets, before confirmation."""
    platelets = count.platelets_10e9_per_l
    if count.bleeding:
        return ItpResponse.NO_RESPONSE
    if platelets >= CR_PLATELETS_10E9_PER_L:
        return ItpResponse.COMPLETE
    if platelets >= R_PLATELETS_10E9_PER_L and platelets >= R_BASELINE_MULTIPLE * baseline_10e9_per_l:
        return ItpResponse.RESPONSE
    return ItpResponse.NO_RESPONSE


def _run_days(counts: Sequence[PlateletCount], ranks: Sequence[int], end: int, keep: int, above: bool) -> int:
    """Return the days spanned by the run of counts ending at `end` whose rank is >= keep (or < keep)."""
    start = end
    while start > 0 and ((ranks[start - 1] >= keep) if above else (ranks[start - 1] < keep)):
        start -= 1
    if (ranks[end] >= keep) != above:
        return -1
    return (counts[end].on - counts[start].on).days


def assess_itp_response(baseline_10e9_per_l: float, counts: Sequence[PlateletCount]) -> ItpAssessment:
    """Classify each count and follow the confirmed response through time."""
    if baseline_10e9_per_l < 0:
        raise ValueError("the baseline platelet count cannot be negative")
    ordered = tuple(sorted(counts, key=lambda c: c.on))
    classes = tuple(classify_count(c, baseline_10e9_per_l) for c in ordered)
    ranks = [_RANK[c] for c in classes]
    status = ItpResponse.PENDING
    statuses: list[ItpResponse] = []
    for i in range(len(ordered)):
        confirmed = [
            level
            for level in (ItpResponse.COMPLETE, ItpResponse.RESPONSE)
            if _run_days(ordered, ranks, i, _RANK[level], above=True) >= RESPONSE_CONFIRM_DAYS
        ]
        best = confirmed[0] if confirmed else None
        current = _RANK.get(status, 1)  # PENDING: a fall below R counts as no response
        if best is not None and (status is ItpResponse.PENDING or _RANK[best] > _RANK.get(status, -1)):
            status = best
        elif ranks[i] < current and _run_days(ordered, ranks, i, current, above=False) >= LOSS_CONFIRM_DAYS:
            status = best or ItpResponse.NO_RESPONSE
        statuses.append(status)
    unconfirmed = bool(ordered) and classes[-1] is not status
    return ItpAssessment(baseline_10e9_per_l, ordered, classes, tuple(statuses), unconfirmed)

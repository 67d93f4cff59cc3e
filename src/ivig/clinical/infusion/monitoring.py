"""When vital signs are due during an infusion, and whether each check was done, is due or is overdue.

The schedule follows the provincial standard tables (docs/reference/monitoring.md s8): before the infusion, 15
min after
the start, at each rate increase, at the end, and 30-60 min after; a first infusion, a product switch or a gap
of more than 8 weeks is observed for 1 h after (EU SmPCs). How early a reading counts for a check and how late
it may be before it is overdue are not in the reference: they are site settings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

SCHEDULE_SOURCE = (
    "vital signs before, 15 min after start, at each rate increase, at completion and 30-60 min after "
    "(provincial standard tables, docs/reference/monitoring.md s8)"
)
OBSERVE_FIRST_SOURCE = (
    "EU SmPCs: first infusion, product switch or gap > 8 weeks: observe for 1 h after "
    "(docs/reference/monitoring.md s8)"
)
SITE_SOURCE = "site setting (the reference gives no value)"


class CheckKind(StrEnum):
    BEFORE = "before"
    AFTER_START = "after_start"
    BEFORE_INCREASE = "before_increase"
    END = "end"
    AFTER = "after"


CHECK_LABELS = {
    CheckKind.BEFORE: "Before the infusion",
    CheckKind.AFTER_START: "After the start",
    CheckKind.BEFORE_INCREASE: "Before the rate increase",
    CheckKind.END: "At the end",
    CheckKind.AFTER: "After the infusion",
}


class CheckState(StrEnum):
    DONE = "done"
    UPCOMING = "upcoming"
    DUE = "due"
    OVERDUE = "overdue"


@dataclass(frozen=True, slots=True)
class MonitoringSettings:
    after_start_min: float = 15.0  # docs/reference/monitoring.md s8
    before_each_increase: bool = True  # docs/reference/monitoring.md s8
    at_end: bool = True  # docs/reference/monitoring.md s8
    observe_after_min: float = 30.0  # lower end of "30-60 min after" (s8); a site may choose up to 60
    observe_after_first_min: float = 60.0  # EU SmPCs, first infusion / switch / gap > 8 weeks (s8)
    early_window_min: float = 10.0  # site setting: a reading this long before a due time counts for it
    grace_min: float = 5.0  # site setting: a check becomes overdue this long after its due time

    def __post_init__(self) -> None:
        for name in ("after_start_min", "observe_after_min", "observe_after_first_min"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be above 0 minutes")
        if self.early_window_min < 0 or self.grace_min < 0:
            raise ValueError("the early window and the grace time cannot be negative")

    def observe_min(self, *, first_or_switch_or_gap: bool) -> float:
        return (
            max(self.observe_after_min, self.observe_after_first_min)
            if first_or_switch_or_gap
            else (self.observe_after_min)
        )


@dataclass(frozen=True, slots=True)
class ScheduledCheck:
    kind: CheckKind
    due_at: datetime | None  # None: before a start that has not happened (due now)
    planned: bool = False  # from the plan (a start, increase or end still to come), not from what happened
    source: str = SCHEDULE_SOURCE

    @property
    def label(self) -> str:
        return CHECK_LABELS[self.kind]


@dataclass(frozen=True, slots=True)
class CheckStatus:
    check: ScheduledCheck
    state: CheckState
    reading_at: datetime | None


def schedule(
    settings: MonitoringSettings,
    *,
    started_at: datetime | None,
    increase_times: Sequence[datetime] = (),
    ended_at: datetime | None = None,
    planned_end_at: datetime | None = None,
    first_or_switch_or_gap: bool = False,
) -> list[ScheduledCheck]:
    """List the checks in due order: what happened fixes the times; the plan gives the ones still to come."""
    checks = [ScheduledCheck(CheckKind.BEFORE, started_at, planned=started_at is None)]
    if started_at is None:
        return checks
    checks.append(
        ScheduledCheck(CheckKind.AFTER_START, started_at + timedelta(minutes=settings.after_start_min))
    )
    if settings.before_each_increase:
        last = ended_at
        checks += [
            ScheduledCheck(CheckKind.BEFORE_INCREASE, at, planned=ended_at is None)
            for at in sorted(increase_times)
            if last is None or at <= last
        ]
    end = ended_at or planned_end_at
    if end is not None:
        if settings.at_end:
            checks.append(ScheduledCheck(CheckKind.END, end, planned=ended_at is None))
        after = end + timedelta(minutes=settings.observe_min(first_or_switch_or_gap=first_or_switch_or_gap))
        checks.append(ScheduledCheck(CheckKind.AFTER, after, planned=ended_at is None))
    return sorted(checks, key=lambda c: (c.due_at is not None, c.due_at or datetime.min.replace(tzinfo=None)))


def statuses(
    settings: MonitoringSettings,
    checks: Sequence[ScheduledCheck],
    reading_times: Sequence[datetime],
    now: datetime,
) -> list[CheckStatus]:
    """Match readings to checks in due order; each reading counts once, from `early_window_min` before."""
    unused = sorted(reading_times)
    early = timedelta(minutes=settings.early_window_min)
    grace = timedelta(minutes=settings.grace_min)
    result = []
    for check in checks:
        match = None
        for reading in unused:
            if check.kind is CheckKind.BEFORE:
                fits = check.due_at is None or reading <= check.due_at
            else:
                fits = check.due_at is not None and reading >= check.due_at - early
            if fits:
                match = reading
                break
        if match is not None:
            unused.remove(match)
            result.append(CheckStatus(check, CheckState.DONE, match))
            continue
        if check.due_at is None or now >= check.due_at + grace:
            state = CheckState.DUE if check.due_at is None else CheckState.OVERDUE
        elif now >= check.due_at - early:
            state = CheckState.DUE
        else:
            state = CheckState.UPCOMING
        result.append(CheckStatus(check, state, None))
    return result

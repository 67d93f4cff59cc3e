"""What a report hands its page and its CSV: column headings, rows of plain values, an optional total."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    total: tuple[Any, ...] | None = None

    def __post_init__(self) -> None:
        for row in [*self.rows, *([self.total] if self.total else [])]:
            if len(row) != len(self.columns):
                raise ValueError(f"a row has {len(row)} cells for {len(self.columns)} columns")


@dataclass(frozen=True)
class ReportResult:
    table: Table
    chart: SafeString | None = None
    key: list[tuple[str, str]] = field(default_factory=list)  # (css class, series name) under the chart
    notes: list[str] = field(default_factory=list)


def grams(value: Any) -> float:
    """A gram amount from the database (Decimal or None) as a number with at most two decimals."""
    return round(float(value or 0), 2)


def per_100(count: int, of: int) -> float | None:
    return None if of == 0 else round(100 * count / of, 1)

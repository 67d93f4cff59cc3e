"""The hook through which conservation measures report the grams they save (issue 20 item 6).

Supply sits below the app that writes conservation proposals (`ivig.conservation` imports supply, never the
other way), so that app registers a provider here from its AppConfig.ready(). With no provider registered the
Supply page says so rather than showing zeros.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class MeasureSaving:
    measure: str  # e.g. "lowest effective dose", "longer interval", "move to SCIG"
    accepted: int  # proposals accepted
    grams_saved: float  # over the period, as the provider counts it (its own note says how)
    note: str = ""


SavingsProvider = Callable[[date, date], list[MeasureSaving]]
_PROVIDERS: list[SavingsProvider] = []


def register_savings_provider(provider: SavingsProvider) -> None:
    """Add a provider (idempotent): called with the first and last day of the period."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def savings_between(start: date, end: date) -> list[MeasureSaving] | None:
    """Every provider's savings in the period; None when no provider is installed."""
    if not _PROVIDERS:
        return None
    return [saving for provider in _PROVIDERS for saving in provider(start, end)]

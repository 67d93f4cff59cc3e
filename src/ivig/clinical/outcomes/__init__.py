"""Outcome rules: serious bacterial infection rate, ITP response (IWG), review-due dates. Pure Python."""

from __future__ import annotations

from ivig.clinical.outcomes.infections import Infection, InfectionRates, infection_rates, pooled_sbi_rate
from ivig.clinical.outcomes.itp import ItpAssessment, ItpResponse, PlateletCount, assess_itp_response
from ivig.clinical.outcomes.reviews import ReviewDue, ReviewSettings, review_due

__all__ = [
    "Infection",
    "InfectionRates",
    "ItpAssessment",
    "ItpResponse",
    "PlateletCount",
    "ReviewDue",
    "ReviewSettings",
    "assess_itp_response",
    "infection_rates",
    "pooled_sbi_rate",
    "review_due",
]

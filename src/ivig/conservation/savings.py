"""The grams conservation saves, for the Supply page and the region's CSV (`ivig.supply.savings` hook)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count

from ivig.conservation.models import ConservationProposal, Kind
from ivig.supply.savings import MeasureSaving

NOTE = "grams per 12 weeks (whole vials, the supply core's count) of the proposals accepted in the period"


def measure_savings(start: date, end: date) -> list[MeasureSaving]:
    """One row per measure with an accepted proposal from `start` to `end`. Two queries."""
    rows = ConservationProposal.objects.all()
    grams = rows.grams_saved_by_kind(start, end)
    counts = dict(
        rows.accepted_between(start, end).values_list("kind").annotate(n=Count("id")).values_list("kind", "n")
    )
    return [
        MeasureSaving(measure=str(label), accepted=counts[kind], grams_saved=float(grams[kind]), note=NOTE)
        for kind, label in Kind.choices
        if counts.get(kind)
    ]

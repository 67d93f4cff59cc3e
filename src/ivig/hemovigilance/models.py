"""Hemovigilance: who received a lot (recall lookback); adverse-event reports join here later.

This app sits above inventory and orders (and later the flowsheet): it reads all of them, and none of them
imports it, so the lookback can gather recipients from every place a lot reaches without an import cycle.
"""

from __future__ import annotations

from ivig.inventory.models import Lot


class RecallLot(Lot):
    """A lot seen from a recall; a proxy (no table of its own) that carries the lookback permission."""

    class Meta:
        proxy = True
        default_permissions = ()
        permissions = [("run_lookback", "Can find every patient who received a lot")]

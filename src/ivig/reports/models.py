"""Usage reports read other apps' tables and keep none of their own; this proxy carries the permission."""

from __future__ import annotations

from ivig.orders.models import TherapyOrder


class UsageReport(TherapyOrder):
    """Orders seen from the usage reports (a proxy: no table)."""

    class Meta:
        proxy = True
        default_permissions = ()
        permissions = [("view_reports", "Can see usage, safety and compliance reports")]

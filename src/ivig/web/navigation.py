"""The navigation each user sees, from the permissions their roles give them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from ivig.accounts import roles


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None  # None: staff users only (is_staff)

    def url(self) -> str:
        return reverse(self.url_name)


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("My record", "patients:mine", roles.VIEW_OWN_RECORD),
    NavItem("Patients", "patients:list", roles.VIEW_PATIENT),
    NavItem("Orders", "orders:worklist", roles.VIEW_ORDER),
    NavItem("Infusions", "infusions:list", roles.ADMINISTER_INFUSION),
    NavItem("Schedule", "scheduling:day", roles.VIEW_APPOINTMENT),
    NavItem("Follow-up", "followup:worklist", roles.VIEW_FOLLOWUP_WORKLIST),
    NavItem("Stock", "inventory:stock", roles.VIEW_STOCK),
    NavItem("Recall lookback", "hemovigilance:lookback", roles.RUN_LOOKBACK),
    NavItem("Adverse events", "hemovigilance:ae_worklist", roles.VIEW_ADVERSE_EVENTS),
    NavItem("Reports", "reports:index", roles.VIEW_REPORTS),
    NavItem("Audit", "audit:list", roles.VIEW_AUDIT),
    NavItem("Site settings", "siteconfig:settings", roles.CHANGE_SITE_SETTINGS),
    NavItem("Admin", "admin:index", None),
)


def items_for(user: Any) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    shown = []
    for item in NAV_ITEMS:
        if item.permission is None:
            if user.is_staff:
                shown.append(item)
        elif user.has_perm(item.permission) and not (
            item.permission == roles.VIEW_OWN_RECORD and user.has_perm(roles.VIEW_PATIENT)
        ):
            shown.append(item)
    return shown

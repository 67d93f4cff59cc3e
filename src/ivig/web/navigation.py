"""The navigation each user sees, from the permissions their roles give them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from ivig.accounts import roles


@dataclass(frozen=True)
class NavItem:
    label: str | Promise  # a lazy translation on patient pages
    url_name: str
    permission: str | None  # None: staff users only (is_staff)

    def url(self) -> str:
        return reverse(self.url_name)


NAV_ITEMS: tuple[NavItem, ...] = (
    # Patient pages are in the patient's language; the staff's pages are English only (no Spanish catalog).
    NavItem(gettext_lazy("My record"), "patients:mine", roles.VIEW_OWN_RECORD),
    NavItem("Patients", "patients:list", roles.VIEW_PATIENT),
    NavItem("Orders", "orders:worklist", roles.VIEW_ORDER),
    NavItem("Infusions", "infusions:list", roles.ADMINISTER_INFUSION),
    NavItem("Schedule", "scheduling:day", roles.VIEW_APPOINTMENT),
    NavItem("Follow-up", "followup:worklist", roles.VIEW_FOLLOWUP_WORKLIST),
    NavItem("Stock", "inventory:stock", roles.VIEW_STOCK),
    NavItem("Supply", "supply:page", roles.VIEW_SUPPLY),
    NavItem("Conservation", "conservation:list", roles.PROPOSE_CONSERVATION),
    NavItem("Recall lookback", "hemovigilance:lookback", roles.RUN_LOOKBACK),
    NavItem("Adverse events", "hemovigilance:ae_worklist", roles.VIEW_ADVERSE_EVENTS),
    NavItem("Reports", "reports:index", roles.VIEW_REPORTS),
    NavItem("Audit", "audit:list", roles.VIEW_AUDIT),
    NavItem("Site settings", "siteconfig:settings", roles.CHANGE_SITE_SETTINGS),
    NavItem("Admin", "admin:index", None),
)


def portal_only(user: Any) -> bool:
    """A patient or family member: their own record and nothing of the staff's tools (API tokens included)."""
    return bool(
        user.is_authenticated
        and user.has_perm(roles.VIEW_OWN_RECORD)
        and not user.has_perm(roles.VIEW_PATIENT)
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

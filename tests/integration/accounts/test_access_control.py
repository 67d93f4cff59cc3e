"""Deny by default: every view declares who may use it, and roles see only their own pages."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ivig.accounts.access import access_of
from ivig.accounts.roles import ROLES


def _our_views(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if "admin" in str(entry.pattern):
                continue
            yield from _our_views(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def test_it_declares_an_access_rule_on_every_view():
    missing = [route for route, view in _our_views() if access_of(view) is None]
    assert missing == []


def test_it_denies_a_view_with_no_rule(rf, make_user):
    from django.core.exceptions import PermissionDenied
    from django.http import HttpResponse

    from ivig.accounts.middleware import AccessControlMiddleware

    def undeclared(request):
        return HttpResponse("secret")

    request = rf.get("/somewhere/")
    request.user = make_user("Admin")
    middleware = AccessControlMiddleware(lambda r: HttpResponse())
    with pytest.raises(PermissionDenied):
        middleware.process_view(request, undeclared, (), {})


def test_it_sends_anonymous_users_to_sign_in(client):
    response = client.get(reverse("patients:list"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


EXPECTED_NAV = {
    "Prescriber": ["Patients", "Orders", "Conservation"],
    "Pharmacist": ["Patients", "Orders", "Stock", "Supply", "Conservation", "Recall lookback", "Reports"],
    "Nurse": ["Patients", "Orders", "Infusions", "Schedule", "Follow-up"],
    "Scheduler": ["Patients", "Schedule"],
    "Quality": [
        "Patients",
        "Orders",
        "Follow-up",
        "Supply",
        "Conservation",
        "Recall lookback",
        "Adverse events",
        "Reports",
        "Audit",
    ],
    "Approver": ["Patients", "Orders"],
    "Patient": ["My record"],
    "Admin": [
        "Patients",
        "Orders",
        "Schedule",
        "Follow-up",
        "Stock",
        "Supply",
        "Recall lookback",
        "Adverse events",
        "Reports",
        "Audit",
        "Site settings",
        "Admin",
    ],
}


@pytest.mark.parametrize("role", [role.name for role in ROLES])
def test_it_shows_each_role_its_own_navigation(client, make_user, role):
    client.force_login(make_user(role))

    response = client.get(reverse("web:home"), follow=True)

    labels = [item.label for item in response.context["nav_items"]]
    assert labels == EXPECTED_NAV[role]


@pytest.mark.parametrize(
    ("role", "url_name", "status"),
    [
        ("Nurse", "audit:list", 403),
        ("Prescriber", "audit:list", 403),
        ("Quality", "audit:list", 200),
        ("Admin", "audit:list", 200),
        ("Patient", "patients:list", 403),
        ("Patient", "patients:create", 403),
        ("Scheduler", "patients:create", 200),
        ("Pharmacist", "patients:create", 403),
        ("Quality", "patients:create", 403),
        ("Nurse", "siteconfig:settings", 200),
        ("Patient", "siteconfig:settings", 403),
        ("Pharmacist", "inventory:stock", 200),
        ("Pharmacist", "inventory:receive", 200),
        ("Admin", "inventory:stock", 200),
        ("Nurse", "inventory:stock", 403),
        ("Prescriber", "inventory:receive", 403),
        ("Patient", "inventory:stock", 403),
        ("Prescriber", "orders:worklist", 200),
        ("Pharmacist", "orders:worklist", 200),
        ("Approver", "orders:worklist", 200),
        ("Nurse", "orders:worklist", 200),
        ("Scheduler", "orders:worklist", 403),
        ("Patient", "orders:worklist", 403),
        ("Prescriber", "orders:criteria", 200),
        ("Approver", "orders:criteria", 200),
        ("Nurse", "orders:criteria", 403),
        ("Patient", "orders:criteria", 403),
    ],
)
def test_it_checks_the_role_on_each_page(client, make_user, role, url_name, status):
    client.force_login(make_user(role))

    assert client.get(reverse(url_name)).status_code == status


def test_it_lets_only_admins_change_site_settings(client, make_user):
    from ivig.siteconfig.models import SiteSettings

    client.force_login(make_user("Nurse"))
    response = client.post(reverse("siteconfig:settings"), {"centre_name": "Hijacked"})

    assert response.status_code == 403
    assert SiteSettings.load().centre_name != "Hijacked"


@pytest.mark.parametrize(
    ("role", "status"),
    [("Quality", 200), ("Admin", 200), ("Approver", 403), ("Prescriber", 403), ("Pharmacist", 403)],
)
def test_it_lets_only_criteria_managers_add_a_version(client, make_user, role, status):
    client.force_login(make_user(role))

    assert client.get(reverse("orders:criteria_new", args=["cidp"])).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [("Approver", 200), ("Quality", 200), ("Prescriber", 403), ("Pharmacist", 403), ("Nurse", 403)],
)
def test_it_lets_only_approvers_open_the_decision_page(client, make_user, make_order, role, status):
    order = make_order(make_user("Prescriber", username="signer"))
    client.force_login(make_user(role))

    assert client.get(reverse("orders:decide", args=[order.pk])).status_code == status

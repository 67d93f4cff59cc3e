"""Issue 20: in Amber or Red, orders for lower priority categories need approval or wait; black is never
prescribed; every other check of the order still applies. The rules are the site's (shipped defaults here)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from ivig.orders import actions
from ivig.orders.actions import OrderError
from ivig.orders.models import TherapyOrder
from ivig.siteconfig.shortage_actions import assign_category, declare_phase, update_policy
from ivig.siteconfig.shortage_defaults import DEFAULT_RULES

pytestmark = pytest.mark.django_db

WHY = "Supplier allocation cut to half for the next six weeks"

# (phase, category of ITP, what signing does) with the shipped rules.
EXPECTED = [
    ("green", "red", "signed"),
    ("green", "blue", "signed"),
    ("green", "grey", "awaiting_approval"),
    ("green", None, "signed"),
    ("green-advisory", "blue", "signed"),
    ("green-advisory", "grey", "awaiting_approval"),
    ("green-advisory", None, "awaiting_approval"),
    ("amber", "red", "signed"),
    ("amber", "blue", "awaiting_approval"),
    ("amber", "grey", "wait"),
    ("amber", None, "awaiting_approval"),
    ("red", "red", "signed"),
    ("red", "blue", "wait"),
    ("red", "grey", "wait"),
    ("red", None, "awaiting_approval"),
    ("recovery", "blue", "awaiting_approval"),
    ("recovery", "grey", "wait"),
]


def _setup(admin, phase, category):
    if category is not None:
        assign_category(by=admin, indication="itp", category=category, source="site demo list 2026-12")
    if phase != "green":
        declare_phase(by=admin, phase=phase, reason=WHY)


@pytest.mark.parametrize(("phase", "category", "outcome"), EXPECTED)
def test_it_gates_signing_by_phase_and_category(make_user, make_order, phase, category, outcome):
    admin, prescriber = make_user("Admin"), make_user("Prescriber")
    _setup(admin, phase, category)
    order = make_order(prescriber, sign=False)
    if outcome == "wait":
        with pytest.raises(OrderError, match="orders wait while this phase lasts"):
            actions.sign_order(by=prescriber, order=order, overlap_acknowledged=True)
        order.refresh_from_db()
        assert order.status == TherapyOrder.Status.DRAFT
        return
    signed = actions.sign_order(by=prescriber, order=order, overlap_acknowledged=True)
    assert signed.status == outcome
    assert signed.signed_plan["supply_gate"]["phase"] == phase
    assert signed.signed_plan["supply_gate"]["category"] == category


@pytest.mark.parametrize("phase", ["green", "green-advisory", "amber", "red", "recovery"])
def test_it_never_signs_a_black_category_indication(make_user, make_order, phase):
    admin, prescriber = make_user("Admin"), make_user("Prescriber")
    _setup(admin, phase, "black")
    order = make_order(prescriber, sign=False)
    with pytest.raises(OrderError, match="not prescribed for a black-category indication"):
        actions.sign_order(by=prescriber, order=order, overlap_acknowledged=True)


def test_it_follows_the_sites_own_rules(make_user, make_order):
    admin, prescriber = make_user("Admin"), make_user("Prescriber")
    rules = {phase: dict(row) for phase, row in DEFAULT_RULES.items()}
    rules["amber"]["blue"] = "wait"
    update_policy(
        by=admin,
        rules=rules,
        advisory_below_days=30,
        amber_below_days=15,
        red_below_days=5,
        source="regional committee decision 2026-11",
    )
    _setup(admin, "amber", "blue")
    with pytest.raises(OrderError, match="wait"):
        actions.sign_order(by=prescriber, order=make_order(prescriber, sign=False), overlap_acknowledged=True)


def test_it_keeps_the_dosing_stops_in_a_shortage(make_user, make_order):
    admin, prescriber = make_user("Admin"), make_user("Prescriber")
    _setup(admin, "amber", "red")
    order = make_order(prescriber, sign=False, dose_g_per_kg=Decimal("5"), days=2, screening={})
    with pytest.raises(OrderError, match="cannot be signed"):
        actions.sign_order(by=prescriber, order=order, overlap_acknowledged=True)


def test_it_sends_a_supply_approval_through_the_existing_authorisation(make_user, make_order, client):
    admin, prescriber, approver = make_user("Admin"), make_user("Prescriber"), make_user("Approver")
    _setup(admin, "amber", "blue")
    order = make_order(prescriber)
    assert order.status == TherapyOrder.Status.AWAITING_APPROVAL
    assert order.approval_required
    assert not order.authorised_on(order.signed_at.date())
    client.force_login(approver)
    page = client.get(reverse("orders:decide", args=[order.pk]))
    assert page.status_code == 200
    assert b'data-decision="needs-approval"' in page.content
    assert b"Shortage phase Amber" in page.content
    decision = actions.decide_authorisation(by=approver, order=order, approved=True, reason=WHY)
    assert decision.approved
    order.refresh_from_db()
    assert order.status == TherapyOrder.Status.SIGNED


def test_it_shows_the_stop_on_the_draft_page_and_the_form(make_user, make_order, client):
    admin, prescriber = make_user("Admin"), make_user("Prescriber")
    _setup(admin, "red", "grey")
    order = make_order(prescriber, sign=False)
    client.force_login(prescriber)
    detail = client.get(reverse("orders:detail", args=[order.pk]))
    assert b'data-decision="wait"' in detail.content
    assert b"Shortage phase Red" in detail.content
    assert b"Grey (low priority)" in detail.content
    form = client.get(reverse("orders:edit", args=[order.pk]))
    assert b'data-decision="wait"' in form.content


def test_it_shows_nothing_in_green_for_a_proceeding_order(make_user, make_order, client):
    prescriber = make_user("Prescriber")
    order = make_order(prescriber, sign=False)
    client.force_login(prescriber)
    assert b"supply-gate" not in client.get(reverse("orders:detail", args=[order.pk])).content

"""Issue 20 item 6: grams by priority category, grams saved by measure (through the conservation hook), doses
deferred by the shortage gate and what happened next."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from ivig import clock
from ivig.orders import actions
from ivig.siteconfig.shortage_actions import assign_category, declare_phase
from ivig.supply import reports, savings
from ivig.supply.savings import MeasureSaving

pytestmark = pytest.mark.django_db

WHY = "Supplier cut our allocation by half for six weeks"
REFUSED = "Not in this phase: the committee defers blue courses"


def _period():
    today = clock.localdate()
    return today - timedelta(days=30), today


def test_it_counts_dispensed_grams_by_the_indications_category(make_user, make_dispensed_order):
    assign_category(by=make_user("Admin"), indication="itp", category="blue", source="regional list 2025")
    make_dispensed_order()  # ITP: 2 x 20 g + 2 x 5 g dispensed
    rows = {row.category: row for row in reports.grams_by_category(*_period())}
    assert rows["blue"].grams == 50.0
    assert rows["blue"].share_pct == 100.0
    assert rows["red"].grams == 0.0


def test_it_follows_a_deferred_dose_to_its_next_version(make_user, make_order):
    admin, prescriber, approver = make_user("Admin"), make_user("Prescriber"), make_user("Approver")
    assign_category(by=admin, indication="itp", category="blue", source="regional list 2025")
    declare_phase(by=admin, phase="amber", reason=WHY)
    order = make_order(prescriber)
    [waiting] = reports.deferred_doses(*_period())
    assert waiting.outcome == "still awaiting approval"
    actions.decide_authorisation(by=approver, order=order, approved=False, reason=REFUSED)
    [refused] = reports.deferred_doses(*_period())
    assert refused.outcome == "refused; no new order yet"
    assert (refused.phase, refused.category) == ("amber", "blue")
    order.refresh_from_db()
    draft = actions.revise_order(by=prescriber, order=order)
    [followed] = reports.deferred_doses(*_period())
    assert followed.next_version == draft
    assert followed.outcome.startswith(f"refused; then {draft.reference}")


def test_it_shows_the_savings_a_conservation_app_reports(client, make_user, monkeypatch):
    monkeypatch.setattr(savings, "_PROVIDERS", [])
    savings.register_savings_provider(
        lambda start, end: [MeasureSaving("move to SCIG", 2, 120.0, "per 90 days")]
    )
    client.force_login(make_user("Pharmacist"))
    page = client.get(reverse("supply:page")).content.decode()
    assert 'data-testid="savings"' in page
    assert "move to SCIG" in page and "120" in page

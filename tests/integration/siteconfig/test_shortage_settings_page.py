"""Issue 20: each indication's priority category and the phase rules are site data with their source; only an
Admin changes them; each change is audited; the stewardship roles can read them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ivig.audit.models import AuditEvent
from ivig.siteconfig.shortage import PriorityCategoryAssignment, ShortagePolicy
from ivig.siteconfig.shortage_actions import ShortageError, declare_phase
from ivig.siteconfig.shortage_defaults import DEFAULT_RULES

pytestmark = pytest.mark.django_db

CATEGORY = {
    "indication": "dm",
    "category": "grey",
    "scope": "region",
    "source": "Regional IVIG list v3, 2025",
}


def _policy_post(**changes):
    data = {
        "advisory_below_days": 30,
        "amber_below_days": 15,
        "red_below_days": 5,
        "source": "Committee 2026-11",
    }
    for phase, row in DEFAULT_RULES.items():
        for category, decision in row.items():
            data[f"rule_{phase}_{category}"] = decision
    return data | changes


@pytest.mark.parametrize(
    ("role", "status"),
    [("Admin", 200), ("Pharmacist", 200), ("Quality", 200), ("Prescriber", 403), ("Nurse", 403)],
)
def test_it_shows_the_categories_and_rules_to_the_stewardship_roles(client, make_user, role, status):
    client.force_login(make_user(role))
    assert client.get(reverse("siteconfig:shortage")).status_code == status


def test_it_lets_the_admin_assign_a_category_with_its_source(client, make_user):
    client.force_login(make_user("Admin"))
    answer = client.post(reverse("siteconfig:shortage_category"), CATEGORY)
    assert answer.status_code == 302
    row = PriorityCategoryAssignment.objects.get()
    assert (row.indication, row.category, row.scope, row.source) == (
        "dm",
        "grey",
        "region",
        CATEGORY["source"],
    )
    assert AuditEvent.objects.filter(action="shortage.assign_category").count() == 1
    page = client.get(reverse("siteconfig:shortage")).content.decode()
    assert "Regional IVIG list v3, 2025" in page


def test_it_refuses_a_category_without_a_source(client, make_user):
    client.force_login(make_user("Admin"))
    answer = client.post(reverse("siteconfig:shortage_category"), CATEGORY | {"source": "  "})
    assert answer.status_code == 422
    assert not PriorityCategoryAssignment.objects.exists()


@pytest.mark.parametrize("role", ["Pharmacist", "Quality"])
def test_it_lets_only_the_admin_change_categories_and_rules(client, make_user, role):
    client.force_login(make_user(role))
    assert client.post(reverse("siteconfig:shortage_category"), CATEGORY).status_code == 403
    assert client.post(reverse("siteconfig:shortage_policy"), _policy_post()).status_code == 403
    assert not PriorityCategoryAssignment.objects.exists()


def test_it_saves_the_rules_and_thresholds_with_their_source(client, make_user):
    client.force_login(make_user("Admin"))
    answer = client.post(reverse("siteconfig:shortage_policy"), _policy_post(**{"rule_amber_blue": "wait"}))
    assert answer.status_code == 302
    policy = ShortagePolicy.load()
    assert policy.decision("amber", "blue") == "wait"
    assert policy.decision("amber", "black") == "not-prescribed"
    assert (policy.advisory_below_days, policy.amber_below_days, policy.red_below_days) == (30, 15, 5)
    assert policy.source == "Committee 2026-11"
    assert AuditEvent.objects.get(action="shortage.update_policy").after["amber_below_days"] == 15


def test_it_refuses_thresholds_that_do_not_fall(client, make_user):
    client.force_login(make_user("Admin"))
    answer = client.post(reverse("siteconfig:shortage_policy"), _policy_post(red_below_days=20))
    assert answer.status_code == 422
    assert ShortagePolicy.load().red_below_days == 7


def test_it_ships_the_supply_cores_defaults_as_a_site_decision():
    policy = ShortagePolicy.load()
    assert "site decision" in policy.source
    assert policy.decision("red", "red") == "proceed"
    assert policy.decision("amber", "grey") == "wait"


@pytest.mark.parametrize("reason", ["", "ok", "test test", "x"])
def test_it_refuses_a_phase_without_a_real_reason(make_user, reason):
    with pytest.raises(ShortageError):
        declare_phase(by=make_user("Quality"), phase="red", reason=reason)


def test_it_needs_the_committee_for_a_regional_declaration(make_user):
    with pytest.raises(ShortageError, match="regional committee"):
        declare_phase(
            by=make_user("Quality"), phase="amber", reason="Regional stock below two weeks", scope="region"
        )

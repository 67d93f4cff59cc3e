"""Issue 20 item 6: grams by priority category, grams saved by measure (through the conservation hook), doses
deferred by the shortage gate and what happened next."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from ivig import clock
from ivig.demo.orders import give_caution_reasons
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


def _child(make_patient, prescriber, name):
    born = date(clock.localdate().year - 8, 1, 15)
    return make_patient(prescriber, given_name=name, date_of_birth=born, weight_kg="25", height_cm=None)


def _wait(prescriber, order):
    with pytest.raises(actions.OrderWaits):
        actions.sign_order(by=prescriber, order=order, overlap_acknowledged=True)


def test_it_counts_a_wait_and_follows_the_draft_until_it_is_signed(client, make_user, make_order):
    admin, prescriber = make_user("Admin"), make_user("Prescriber")
    assign_category(by=admin, indication="itp", category="grey", source="regional list 2025")
    declare_phase(by=admin, phase="amber", reason=WHY)
    order = make_order(prescriber, sign=False)
    _wait(prescriber, order)
    _wait(prescriber, order)
    [waiting] = reports.deferred_doses(*_period())
    assert (waiting.order, waiting.kind, waiting.phase, waiting.category) == (
        order,
        "waited",
        "amber",
        "grey",
    )
    assert waiting.outcome == "waited; still waiting (draft not signed)"
    declare_phase(by=admin, phase="green", reason="Allocation restored")
    signed = actions.sign_order(
        by=prescriber,
        order=give_caution_reasons(prescriber, order, clock.localdate()),
        overlap_acknowledged=True,
    )
    [later] = reports.deferred_doses(*_period())
    assert later.group == "waited; signed later"
    assert later.outcome.endswith(f"(now {signed.get_status_display().lower()})")
    assert reports.deferral_summary([later]) == {"waited; signed later": 1}
    client.force_login(make_user("Pharmacist"))
    page = client.get(reverse("supply:page")).content.decode()
    assert 'data-kind="waited"' in page and "waited; signed later" in page
    region = client.get(reverse("supply:region_csv")).content.decode()
    assert "doses_deferred,waited; signed later,,,1," in region


def test_it_reports_a_cancelled_draft_that_waited(make_user, make_order):
    admin, prescriber = make_user("Admin"), make_user("Prescriber")
    assign_category(by=admin, indication="itp", category="blue", source="regional list 2025")
    declare_phase(by=admin, phase="red", reason=WHY)
    order = make_order(prescriber, sign=False)
    _wait(prescriber, order)
    actions.cancel_order(by=prescriber, order=order, reason="Started on a trial of steroids instead")
    [cancelled] = reports.deferred_doses(*_period())
    assert cancelled.outcome == "waited; draft cancelled"


def test_it_does_not_count_a_black_category_refusal(make_user, make_order):
    admin, prescriber = make_user("Admin"), make_user("Prescriber")
    assign_category(by=admin, indication="itp", category="black", source="regional list 2025")
    declare_phase(by=admin, phase="amber", reason=WHY)
    with pytest.raises(actions.OrderError):
        actions.sign_order(by=prescriber, order=make_order(prescriber, sign=False), overlap_acknowledged=True)
    assert reports.deferred_doses(*_period()) == []


def test_it_reports_the_deferred_doses_in_three_queries(
    make_user, make_order, make_patient, django_assert_num_queries
):
    admin, prescriber, approver = make_user("Admin"), make_user("Prescriber"), make_user("Approver")
    assign_category(by=admin, indication="itp", category="grey", source="regional list 2025")
    declare_phase(by=admin, phase="amber", reason=WHY)
    for name in ("Ava", "Ben", "Cal"):
        _wait(prescriber, make_order(prescriber, sign=False, patient=_child(make_patient, prescriber, name)))
    assign_category(by=admin, indication="itp", category="blue", source="regional list 2025")
    for name in ("Dan", "Eve"):
        gated = make_order(prescriber, patient=_child(make_patient, prescriber, name))
        actions.decide_authorisation(by=approver, order=gated, approved=False, reason=REFUSED)
        gated.refresh_from_db()
        actions.revise_order(by=prescriber, order=gated)
    with django_assert_num_queries(3):
        rows = reports.deferred_doses(*_period())
        summary = reports.deferral_summary(rows)
        outcomes = [(row.outcome, row.order.patient.family_name, row.next_version) for row in rows]
    assert summary == {"waited; still waiting (draft not signed)": 3, "refused; a new version followed": 2}
    assert len(outcomes) == 5

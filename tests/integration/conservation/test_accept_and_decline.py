"""Accepting a proposal is the prescribing path: a new order version, signed, waiting for verification; the
dose limits stop it; declining needs a reason in words."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from ivig.audit.models import AuditEvent
from ivig.conservation import actions
from ivig.conservation.models import ConservationProposal, Kind
from ivig.orders.models import TherapyOrder
from ivig.outcomes.models import DoseTrial


def test_it_accepts_a_longer_interval_as_a_new_signed_version_awaiting_verification(
    pi_order, prescriber, pharmacist, make_proposal
):
    proposal = make_proposal(pi_order, Kind.LONGER_INTERVAL, by=pharmacist, repeat_interval_weeks=5)

    actions.accept(by=prescriber, proposal=proposal)

    proposal.refresh_from_db()
    new = proposal.result_order
    assert proposal.status == ConservationProposal.Status.ACCEPTED
    assert new.previous_id == pi_order.pk and new.version == 2
    assert new.repeat_interval_weeks == 5
    assert new.status == TherapyOrder.Status.SIGNED and new.verified_by is None  # the pharmacy verifies next
    assert new.prescriber == prescriber
    pi_order.refresh_from_db()
    assert pi_order.status == TherapyOrder.Status.CANCELLED  # replaced by the new version when signed
    assert AuditEvent.objects.filter(action="conservation.accept", target_id=str(proposal.pk)).exists()
    assert AuditEvent.objects.filter(action="order.sign", target_id=str(new.pk)).exists()


def test_it_refuses_to_accept_when_the_dose_limit_stops_the_new_version(
    pi_order, prescriber, pharmacist, make_proposal
):
    # 3 g/kg in one day is above the PI regimen's ceiling: a stop the order pages show and nothing unlocks.
    proposal = make_proposal(pi_order, Kind.LESS_WASTE, by=pharmacist, dose_g_per_kg=Decimal("3"))

    with pytest.raises(actions.ActionRefused, match="cannot be signed"):
        actions.accept(by=prescriber, proposal=proposal)

    proposal.refresh_from_db()
    assert proposal.status == ConservationProposal.Status.DRAFT
    assert not TherapyOrder.objects.filter(previous=pi_order).exists()  # no half-made version left behind
    pi_order.refresh_from_db()
    assert pi_order.status == TherapyOrder.Status.SIGNED


def test_it_needs_an_approval_when_the_criteria_ask_for_one(pi_order, prescriber, pharmacist, make_proposal):
    from ivig.orders.models import IndicationCriteria

    current = IndicationCriteria.current("pi", date.today())
    IndicationCriteria.objects.create(
        indication="pi",
        version=(current.version + 1) if current else 1,
        required_labs=[],
        approval_required=True,
        source="test: panel approval for every PI order",
        effective_from=date.today() - timedelta(days=1),
    )
    proposal = make_proposal(pi_order, Kind.LONGER_INTERVAL, by=pharmacist, repeat_interval_weeks=5)

    actions.accept(by=prescriber, proposal=proposal)

    proposal.refresh_from_db()
    assert proposal.result_order.status == TherapyOrder.Status.AWAITING_APPROVAL


def test_it_starts_a_dose_reduction_trial_for_a_lowest_dose_proposal(
    pi_order, prescriber, pharmacist, make_proposal
):
    proposal = make_proposal(pi_order, Kind.LOWEST_DOSE, by=pharmacist, dose_g_per_kg=Decimal("0.3"))
    review_on = date.today() + timedelta(weeks=12)

    with pytest.raises(actions.ConservationError, match="review"):
        actions.accept(by=prescriber, proposal=proposal)
    actions.accept(by=prescriber, proposal=proposal, review_on=review_on)

    proposal.refresh_from_db()
    trial = DoseTrial.objects.get(patient=pi_order.patient)
    assert trial.order == proposal.result_order and trial.review_on == review_on
    assert trial.kind == DoseTrial.Kind.REDUCTION
    assert trial.planned_dose_g < trial.current_dose_g
    assert proposal.result_order.dose_g_per_kg == Decimal("0.3")


def test_it_supersedes_the_other_drafts_once_one_is_accepted(pi_order, prescriber, pharmacist, make_proposal):
    interval = make_proposal(pi_order, Kind.LONGER_INTERVAL, by=pharmacist, repeat_interval_weeks=5)
    other = make_proposal(pi_order, Kind.LESS_WASTE, by=pharmacist, accept_rounded_dose=True)

    actions.accept(by=prescriber, proposal=interval)

    other.refresh_from_db()
    assert other.status == ConservationProposal.Status.SUPERSEDED
    with pytest.raises(actions.ConservationError, match="superseded"):
        actions.accept(by=prescriber, proposal=other)


@pytest.mark.parametrize("reason", ["", "no", "xxxxxxxxxxxx", "   .  .  ,  "])
def test_it_refuses_a_decline_without_a_real_reason(pi_order, prescriber, pharmacist, make_proposal, reason):
    proposal = make_proposal(pi_order, Kind.MOVE_TO_SCIG, by=pharmacist)

    with pytest.raises(actions.ConservationError, match="reason"):
        actions.decline(by=prescriber, proposal=proposal, reason=reason)

    proposal.refresh_from_db()
    assert proposal.status == ConservationProposal.Status.DRAFT


def test_it_declines_with_the_reason_and_audits_it(pi_order, prescriber, pharmacist, make_proposal):
    proposal = make_proposal(pi_order, Kind.MOVE_TO_SCIG, by=pharmacist)

    actions.decline(by=prescriber, proposal=proposal, reason="Patient cannot self-infuse at home")

    proposal.refresh_from_db()
    assert proposal.status == ConservationProposal.Status.DECLINED
    assert proposal.declined_reason == "Patient cannot self-infuse at home"
    assert proposal.decided_by == prescriber and proposal.decided_at is not None
    assert AuditEvent.objects.filter(action="conservation.decline", target_id=str(proposal.pk)).exists()


def test_it_counts_grams_saved_by_measure_over_accepted_proposals(
    pi_order, prescriber, pharmacist, make_proposal
):
    accepted = make_proposal(
        pi_order, Kind.LONGER_INTERVAL, by=pharmacist, saved="5.60", repeat_interval_weeks=5
    )
    declined = make_proposal(pi_order, Kind.MOVE_TO_SCIG, by=pharmacist, saved="3.00")
    actions.decline(by=prescriber, proposal=declined, reason="Prefers to stay on IV in the centre")
    actions.accept(by=prescriber, proposal=accepted)

    today = date.today()
    by_kind = ConservationProposal.objects.grams_saved_by_kind(today, today)
    assert by_kind[Kind.LONGER_INTERVAL] == Decimal("5.60")
    assert by_kind[Kind.MOVE_TO_SCIG] == Decimal("0")
    assert ConservationProposal.objects.grams_saved(today, today) == Decimal("5.60")
    assert ConservationProposal.objects.grams_saved(today + timedelta(days=1)) == Decimal("0")


def test_it_makes_the_next_course_when_the_source_was_already_given(
    pi_order, prescriber, pharmacist, make_lot, make_proposal
):
    from tests.drivers.orders import verify_and_dispense

    twenty = make_lot(pharmacist, lot_number="P20", vials=2, vial_size_g="20")
    ten = make_lot(pharmacist, lot_number="P10", vials=2, vial_size_g="10")
    given = verify_and_dispense(pi_order, by=pharmacist, picks=[(twenty, 1), (ten, 1)])
    proposal = make_proposal(given, Kind.LONGER_INTERVAL, by=pharmacist, repeat_interval_weeks=5)

    with pytest.raises(actions.ActionRefused, match="already has an active order"):
        actions.accept(by=prescriber, proposal=proposal)
    actions.accept(by=prescriber, proposal=proposal, overlap_acknowledged=True)

    proposal.refresh_from_db()
    course = proposal.result_order
    assert course.previous_id is None and course.series_id is None  # a new order copied from the given one
    assert course.status == TherapyOrder.Status.SIGNED and course.repeat_interval_weeks == 5
    given.refresh_from_db()
    assert given.status == TherapyOrder.Status.DISPENSED  # what was given stays on record


def test_it_accepts_a_move_to_scig_as_an_sc_version_planned_as_a_product_switch(
    pi_order, prescriber, pharmacist, make_proposal
):
    from ivig.conservation.review import review

    proposal = make_proposal(
        pi_order,
        Kind.MOVE_TO_SCIG,
        by=pharmacist,
        route="sc",
        product_slug="cuvitru",
        sc_dose_g=Decimal("7.00"),
        repeat_interval_weeks=1,
    )
    seen = review(proposal, date.today())
    assert seen.stops == [] and seen.first_infusion_rates

    reasons = {c.code: "Trained to self-infuse at home, agreed with the patient" for c in seen.cautions}
    actions.accept(by=prescriber, proposal=proposal, caution_reasons=reasons)

    proposal.refresh_from_db()
    new = proposal.result_order
    assert (new.route, new.product_slug, new.sc_dose_g, new.dose_g_per_kg) == (
        "sc",
        "cuvitru",
        Decimal("7.00"),
        None,
    )
    assert new.repeat_interval_weeks == 1 and new.screening["product_switch"] is True
    assert new.status == TherapyOrder.Status.SIGNED

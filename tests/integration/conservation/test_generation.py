"""Proposals come from the clinical core's measures for the patient's current order; generating again adds no
duplicate draft for the same order version and kind; a newer order supersedes the old drafts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ivig.audit.models import AuditEvent
from ivig.conservation import actions
from ivig.conservation.models import ConservationProposal, Kind


def test_it_generates_the_core_measures_as_drafts_for_the_current_order(pi_order, pharmacist):
    made = actions.propose_for(pi_order.patient, by=pharmacist)

    kinds = {p.kind for p in made}
    assert Kind.LOWEST_DOSE in kinds  # 80 % of 28 g, the core's default trial step (a site decision)
    lowest = next(p for p in made if p.kind == Kind.LOWEST_DOSE)
    assert lowest.source_order == pi_order and lowest.status == ConservationProposal.Status.DRAFT
    assert lowest.dose_g_per_kg < Decimal("0.4")
    assert lowest.grams_saved_per_12_weeks > 0
    assert lowest.grams_saved_per_12_weeks == lowest.current_g_per_12_weeks - lowest.proposed_g_per_12_weeks
    assert AuditEvent.objects.filter(action="conservation.propose", patient_id=pi_order.patient_id).exists()


def test_it_adds_no_duplicate_draft_when_generated_again(pi_order, pharmacist, make_user):
    first = actions.propose_for(pi_order.patient, by=pharmacist)
    again = actions.propose_for(pi_order.patient, by=make_user("Quality"))

    assert first and again == []
    drafts = ConservationProposal.objects.filter(source_order=pi_order, status="draft")
    assert drafts.count() == len(first)
    assert len(set(drafts.values_list("kind", flat=True))) == drafts.count()


def test_it_supersedes_drafts_of_an_older_order_version(pi_order, pharmacist, prescriber):
    from ivig.orders import actions as orders

    old = actions.propose_for(pi_order.patient, by=pharmacist)
    draft = orders.revise_order(by=prescriber, order=pi_order)
    newer = orders.sign_order(by=prescriber, order=draft)

    made = actions.propose_for(pi_order.patient, by=pharmacist)

    assert all(p.source_order == newer for p in made)
    assert {p.status for p in ConservationProposal.objects.filter(pk__in=[p.pk for p in old])} == {
        "superseded"
    }


def test_it_refuses_a_patient_with_no_order(make_patient, pharmacist):
    patient = make_patient(pharmacist)

    with pytest.raises(actions.ConservationError, match="no signed or given order"):
        actions.propose_for(patient, by=pharmacist)


def test_it_proposes_nothing_for_a_one_off_course(make_order, prescriber, pharmacist):
    order = make_order(prescriber)  # ITP, 1 g/kg x 2 days: no repeat interval

    assert actions.propose_for(order.patient, by=pharmacist) == []


def test_it_follows_the_sites_conservation_policy(pi_order, pharmacist):
    from ivig.conservation.models import ConservationPolicy

    policy = ConservationPolicy.load()
    policy.reduction_pct, policy.review_after_weeks = 60, 8
    policy.save()

    made = actions.propose_for(pi_order.patient, by=pharmacist)

    lowest = next(p for p in made if p.kind == Kind.LOWEST_DOSE)
    # 60 % of 28 g is 16.8 g; 15 g is more than the site's 10 % below it, so 20 g of whole Privigen vials:
    # 20 / 70 kg = 0.285 g/kg (the default 80 % gives 25 g, 0.357 g/kg).
    assert lowest.dose_g_per_kg == Decimal("0.285")
    assert "60%" in lowest.rationale and "8 weeks" in lowest.rationale

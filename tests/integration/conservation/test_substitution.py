"""Product substitution in a shortage: the new version is planned as a product switch (the new product's
first-infusion rate, the 1 hour observation), the reaction history is checked against the new product, and
the patient (portal) and the nurses (home page) are told."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ivig.audit.models import AuditEvent
from ivig.conservation import actions
from ivig.conservation.models import ConservationProposal, Kind, SwitchNotice
from ivig.orders.actions import cancel_order
from ivig.orders.models import TherapyOrder
from ivig.orders.planning import treated_as_first
from ivig.portal.models import PortalMessage
from tests.factories.infusions import InfusionSessionFactory, ReactionFactory

REASON = "Privigen on national allocation (Amber)"


def _first_rate(order):
    return order.signed_plan["days"][0]["steps"][0]["rate_mg_per_kg_per_min"]


def test_it_rebuilds_the_plan_as_a_product_switch_with_first_infusion_rates(pi_order, prescriber):
    assert not treated_as_first(pi_order)

    done = actions.substitute_product(
        by=prescriber, patient=pi_order.patient, product_slug="gamunex-c", reason=REASON
    )

    new = done.result_order
    assert done.kind == Kind.SUBSTITUTION and done.status == ConservationProposal.Status.ACCEPTED
    assert new.previous == pi_order and new.product_slug == "gamunex-c"
    assert new.status == TherapyOrder.Status.SIGNED and new.verified_by is None  # the pharmacy verifies it
    assert new.screening["product_switch"] is True
    assert treated_as_first(new)  # the 1 hour observation on the sheet and in the schedule
    assert _first_rate(new) == pytest.approx(1.0)  # Gamunex-C's labelled initial rate for PI (reference s3)
    assert AuditEvent.objects.filter(action="conservation.substitute", target_id=str(new.pk)).exists()


def test_it_tells_the_patient_and_the_nurses(pi_order, prescriber, make_user, client):
    done = actions.substitute_product(
        by=prescriber, patient=pi_order.patient, product_slug="gamunex-c", reason=REASON
    )

    message = PortalMessage.objects.get(patient=pi_order.patient)
    assert "Gamunex-C" in message.body and "first infusion will start slowly" in message.body
    notice = SwitchNotice.objects.get(order=done.result_order)
    assert notice.from_product_slug == "privigen" and notice.to_product_slug == "gamunex-c"
    assert "1 hour" in notice.message

    nurse = make_user("Nurse")
    client.force_login(nurse)
    home = client.get(reverse("web:home")).content.decode()
    assert "Product changes" in home and done.result_order.reference in home
    client.post(reverse("conservation:notice_seen", args=[notice.pk]))
    notice.refresh_from_db()
    assert notice.seen_by == nurse


def test_it_checks_the_reaction_history_against_the_new_product(pi_order, prescriber, pharmacist, make_order):
    # The patient reacted once to Gamunex-C (an earlier course, on the flowsheet).
    earlier = make_order(prescriber, patient=pi_order.patient, product_slug="gamunex-c")
    session = InfusionSessionFactory(
        order=earlier, started_by=prescriber, started_at=timezone.make_aware(datetime(2026, 1, 5, 9, 0))
    )
    ReactionFactory(session=session)
    cancel_order(by=prescriber, order=earlier, reason="Course ended early; kept for the reaction record")
    proposal = actions.propose_substitution(
        by=pharmacist, patient=pi_order.patient, product_slug="gamunex-c", reason=REASON
    )

    with pytest.raises(actions.ActionRefused, match="reacted to Gamunex-C before"):
        actions.accept(by=prescriber, proposal=proposal)
    actions.accept(
        by=prescriber,
        proposal=proposal,
        caution_reasons={
            "previous-reaction": "Mild chills only; premedicate with paracetamol and cetirizine"
        },
    )

    proposal.refresh_from_db()
    assert "gamunex-c" in proposal.result_order.screening["previous_reactions"]


def test_it_refuses_a_switch_to_the_same_product_or_without_a_reason(pi_order, pharmacist):
    with pytest.raises(actions.ConservationError, match="already uses"):
        actions.propose_substitution(
            by=pharmacist, patient=pi_order.patient, product_slug="privigen", reason=REASON
        )
    with pytest.raises(actions.ConservationError, match="reason"):
        actions.propose_substitution(
            by=pharmacist, patient=pi_order.patient, product_slug="gamunex-c", reason="x"
        )

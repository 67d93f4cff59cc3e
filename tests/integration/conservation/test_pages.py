"""The conservation pages: who may see, generate, accept and decline (others get 403); accepting from the page
signs the new version; the site list shows the grams saved; the portal shows the family the message."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from ivig.conservation.models import ConservationProposal, Kind
from ivig.orders.models import TherapyOrder


@pytest.mark.parametrize(
    ("role", "view", "generate", "decide"),
    [
        ("Prescriber", 200, True, True),
        ("Pharmacist", 200, True, False),
        ("Quality", 200, True, False),
        ("Nurse", 200, False, False),
        ("Admin", 403, False, False),
        ("Approver", 403, False, False),
        ("Scheduler", 403, False, False),
        ("Patient", 403, False, False),
    ],
)
def test_it_gives_each_role_its_conservation_rights(
    client, pi_order, pharmacist, make_proposal, make_user, role, view, generate, decide
):
    proposal = make_proposal(pi_order, Kind.LONGER_INTERVAL, by=pharmacist, repeat_interval_weeks=5)
    client.force_login(make_user(role, username=f"u-{role.lower()}"))
    patient = pi_order.patient

    assert client.get(reverse("conservation:patient", args=[patient.pk])).status_code == view
    assert client.get(reverse("conservation:list")).status_code == view
    assert (client.post(reverse("conservation:generate", args=[patient.pk])).status_code != 403) is generate
    assert (client.post(reverse("conservation:switch", args=[patient.pk]), {}).status_code != 403) is generate
    assert (client.get(reverse("conservation:accept", args=[proposal.pk])).status_code != 403) is decide
    assert (client.post(reverse("conservation:decline", args=[proposal.pk]), {}).status_code != 403) is decide


def test_it_accepts_from_the_page_and_shows_the_new_order(
    client, pi_order, prescriber, pharmacist, make_proposal
):
    proposal = make_proposal(pi_order, Kind.LONGER_INTERVAL, by=pharmacist, repeat_interval_weeks=5)
    client.force_login(prescriber)
    url = reverse("conservation:accept", args=[proposal.pk])

    page = client.get(url).content.decode()
    assert "every 4 weeks" in page and "every 5 weeks" in page

    response = client.post(url, {})
    proposal.refresh_from_db()
    assert proposal.status == "accepted"
    assert response.status_code == 302 and response.url == reverse(
        "orders:detail", args=[proposal.result_order.pk]
    )
    assert proposal.result_order.status == TherapyOrder.Status.SIGNED


def test_it_shows_the_stop_and_keeps_the_draft_when_the_dose_limit_refuses(
    client, pi_order, prescriber, pharmacist, make_proposal
):
    proposal = make_proposal(pi_order, Kind.LESS_WASTE, by=pharmacist, dose_g_per_kg=Decimal("3"))
    client.force_login(prescriber)

    response = client.post(reverse("conservation:accept", args=[proposal.pk]), {})

    assert response.status_code == 422
    assert "cannot be signed" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "draft"


def test_it_declines_from_the_page_only_with_a_reason(
    client, pi_order, prescriber, pharmacist, make_proposal
):
    proposal = make_proposal(pi_order, Kind.MOVE_TO_SCIG, by=pharmacist)
    client.force_login(prescriber)
    url = reverse("conservation:decline", args=[proposal.pk])

    assert client.post(url, {"reason": "no"}).status_code == 422
    assert client.post(url, {"reason": "Needle phobia, stays on IV"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "declined"


def test_it_lists_drafts_and_the_grams_saved_site_wide(
    client, pi_order, prescriber, pharmacist, make_proposal
):
    from ivig.conservation import actions

    accepted = make_proposal(
        pi_order, Kind.LONGER_INTERVAL, by=pharmacist, saved="18.00", repeat_interval_weeks=5
    )
    make_proposal(pi_order, Kind.MOVE_TO_SCIG, by=pharmacist, saved="6.00")
    actions.accept(by=prescriber, proposal=accepted)
    fresh = actions.propose_for(pi_order.patient, by=pharmacist)
    client.force_login(pharmacist)

    page = client.get(reverse("conservation:list")).content.decode()

    assert "18.0 g</strong> per 12 weeks" in page
    assert ConservationProposal.objects.drafts().count() == len(fresh)
    assert pi_order.patient.family_name.upper() in page or not fresh


def test_it_shows_the_family_the_message_and_marks_it_read(client, pi_order, prescriber, portal_family):
    from ivig.conservation import actions
    from tests.factories.portal import PortalLinkFactory

    parent, _children = portal_family("haddad")
    PortalLinkFactory(user=parent, patient=pi_order.patient)
    actions.substitute_product(
        by=prescriber,
        patient=pi_order.patient,
        product_slug="gamunex-c",
        reason="Privigen is short this month",
    )
    client.force_login(parent)

    page = client.get(reverse("portal:home")).content.decode()
    assert "Your immunoglobulin product is changing" in page

    message = pi_order.patient.portal_messages.get()
    client.post(reverse("portal:message_read", args=[message.pk]))
    message.refresh_from_db()
    assert message.read_by == parent


def test_it_reports_the_grams_saved_by_measure_on_the_supply_page(
    client, pi_order, prescriber, pharmacist, make_proposal
):
    from ivig.conservation import actions

    accepted = make_proposal(
        pi_order, Kind.LONGER_INTERVAL, by=pharmacist, saved="18.00", repeat_interval_weeks=5
    )
    actions.accept(by=prescriber, proposal=accepted)
    client.force_login(pharmacist)

    page = client.get(reverse("supply:page")).content.decode()
    csv = client.get(reverse("supply:region_csv")).content.decode()

    assert 'data-testid="savings"' in page and "Longer interval between doses" in page
    assert "grams_saved,Longer interval between doses,18.0,,1" in csv

"""Each user's worklist shows what their permissions let them do next, and nothing of anyone else's."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from ivig.orders.actions import decide_authorisation, repeat_order
from ivig.orders.worklists import SECTION_LIMIT
from tests.drivers.orders import require_approval, verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user):
    return {
        "prescriber": make_user("Prescriber"),
        "colleague": make_user("Prescriber", username="colleague"),
        "pharmacist": make_user("Pharmacist"),
        "approver": make_user("Approver"),
    }


def _sections(client, user):
    client.force_login(user)
    response = client.get(reverse("orders:worklist"))
    assert response.status_code == 200
    return response, {section.key: section for section in response.context["sections"]}


def _refs(section):
    return [order.reference for order in section.orders]


def test_it_shows_a_prescriber_their_drafts_and_their_orders_awaiting_or_refused(client, people, make_order):
    mine_draft = make_order(people["prescriber"], sign=False)
    make_order(people["colleague"], sign=False)
    signed_before = make_order(people["prescriber"])  # signed, no approval needed: not on this list
    require_approval(by=people["approver"])
    waiting = make_order(people["prescriber"])
    refused = make_order(people["prescriber"])
    decide_authorisation(by=people["approver"], order=refused, approved=False, reason="Not indicated")
    make_order(people["colleague"])  # a colleague's order awaiting approval

    response, sections = _sections(client, people["prescriber"])

    assert list(sections) == ["sent_back", "drafts", "awaiting", "renewals"]
    assert _refs(sections["drafts"]) == [mine_draft.reference]
    assert _refs(sections["awaiting"]) == [waiting.reference, refused.reference]
    assert sections["awaiting"].total == 2
    page = response.content.decode()
    assert "Not indicated" in page
    assert signed_before.reference not in page
    assert reverse("orders:detail", args=[waiting.pk]) in page


def test_it_drops_a_refused_order_once_a_new_version_is_signed(client, people, make_order):
    from ivig.orders.actions import revise_order, sign_order

    require_approval(by=people["approver"])
    refused = make_order(people["prescriber"])
    decide_authorisation(by=people["approver"], order=refused, approved=False, reason="Dose too high")
    newer = sign_order(by=people["prescriber"], order=revise_order(by=people["prescriber"], order=refused))

    _response, sections = _sections(client, people["prescriber"])

    assert _refs(sections["awaiting"]) == [newer.reference]


def test_it_shows_a_pharmacist_orders_to_verify_oldest_first_and_to_dispense(client, people, make_order):
    first = make_order(people["prescriber"])
    second = make_order(people["colleague"])
    verified = make_order(people["prescriber"])
    verify(verified, by=people["pharmacist"])
    make_order(people["prescriber"], sign=False)  # a draft is not the pharmacy's business
    require_approval(by=people["approver"])
    make_order(people["prescriber"])  # awaiting approval: not yet either

    response, sections = _sections(client, people["pharmacist"])

    assert list(sections) == ["verify", "dispense"]
    assert _refs(sections["verify"]) == [first.reference, second.reference]
    assert _refs(sections["dispense"]) == [verified.reference]
    page = response.content.decode()
    assert first.patient.mrn in page
    assert "To verify (2)" in page


def test_it_flags_an_order_to_verify_whose_authorisation_has_ended(client, people, make_order):
    require_approval(by=people["approver"])
    order = make_order(people["prescriber"])
    decide_authorisation(by=people["approver"], order=order, approved=True, reason="ok")
    order.authorisations.update(valid_until=date.today() - timedelta(days=1))

    response, sections = _sections(client, people["pharmacist"])

    assert sections["verify"].orders[0].authorisation_ended
    assert "authorisation ended" in response.content.decode()


def test_it_shows_an_approver_orders_to_decide_oldest_first(client, people, make_order):
    make_order(people["prescriber"])  # no approval needed
    require_approval(by=people["approver"])
    first = make_order(people["prescriber"])
    second = make_order(people["colleague"])

    response, sections = _sections(client, people["approver"])

    assert list(sections) == ["decide"]
    assert _refs(sections["decide"]) == [first.reference, second.reference]
    assert reverse("orders:decide", args=[first.pk]) in response.content.decode()


@pytest.mark.parametrize("role", ["Nurse", "Admin"])
def test_it_shows_nothing_to_users_with_no_order_work(client, people, make_user, make_order, role):
    make_order(people["prescriber"], sign=False)
    make_order(people["prescriber"])

    response, sections = _sections(client, make_user(role))

    assert sections == {}
    assert "no order worklist" in response.content.decode()


def test_it_shows_every_section_to_a_user_with_several_roles(client, people, make_user):
    user = make_user("Prescriber", username="busy")
    user.groups.add(Group.objects.get(name="Pharmacist"), Group.objects.get(name="Approver"))

    _response, sections = _sections(client, user)

    assert list(sections) == ["sent_back", "drafts", "awaiting", "renewals", "verify", "dispense", "decide"]


def test_it_lists_renewals_due_and_drops_one_once_the_renewal_is_started(client, people, make_order):
    today = date.today()
    review_soon = make_order(people["prescriber"], review_date=today + timedelta(days=20))
    make_order(people["prescriber"], review_date=today + timedelta(days=90))  # not yet
    make_order(people["colleague"], review_date=today + timedelta(days=5))  # not mine
    require_approval(by=people["approver"])
    ending = make_order(people["prescriber"])
    decide_authorisation(
        by=people["approver"],
        order=ending,
        approved=True,
        reason="ok",
        valid_until=today + timedelta(days=10),
    )
    lasting = make_order(people["prescriber"])
    decide_authorisation(by=people["approver"], order=lasting, approved=True, reason="ok")

    response, sections = _sections(client, people["prescriber"])

    assert _refs(sections["renewals"]) == [ending.reference, review_soon.reference]  # soonest first
    page = response.content.decode()
    assert f"authorisation ends {today + timedelta(days=10):%Y-%m-%d}" in page
    assert f'action="{reverse("orders:repeat", args=[ending.pk])}"' in page

    repeat_order(by=people["prescriber"], order=ending)
    _response, sections = _sections(client, people["prescriber"])

    assert _refs(sections["renewals"]) == [review_soon.reference]


def test_it_follows_the_renewal_notice_setting(client, people, make_order, settings):
    settings.IVIG_RENEWAL_NOTICE_DAYS = 60
    order = make_order(people["prescriber"], review_date=date.today() + timedelta(days=45))

    _response, sections = _sections(client, people["prescriber"])

    assert _refs(sections["renewals"]) == [order.reference]
    assert sections["renewals"].title == "Renewals due (within 60 days)"


def test_it_bounds_a_section_and_says_how_many_there_are(client, people, make_order, monkeypatch):
    import ivig.orders.worklists as worklists

    monkeypatch.setattr(worklists, "SECTION_LIMIT", 2)
    for _ in range(3):
        make_order(people["prescriber"])

    response, sections = _sections(client, people["pharmacist"])

    assert (len(sections["verify"].orders), sections["verify"].total) == (2, 3)
    assert "Showing the first 2 of 3" in response.content.decode()
    assert SECTION_LIMIT == 100

"""The home page of a user with every staff role costs the same bounded number of queries however much work
is waiting: each panel reads its first rows and, when there are more, one count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ivig import clock
from ivig.accounts.roles import STAFF_ROLES
from ivig.followup.actions import start_follow_up
from ivig.infusions import actions
from ivig.infusions.models import InfusionSession
from ivig.web import home
from tests.drivers.orders import verify
from tests.drivers.queries import page_queries

pytestmark = pytest.mark.django_db

# Session, user, permissions and site settings: about 8; then at most three per panel (rows, count, and the
# next day of the one ready order shown) over 15 panels, and the stock panel's two lot queries.
MAX_QUERIES = 60


def test_it_loads_a_busy_home_page_in_a_bounded_number_of_queries(
    client, make_user, make_order, make_dispensed_order, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(home, "ROWS", 1)  # so two of each already overflow, as a busy day does
    everyone = make_user("Admin", username="everyone")
    everyone.groups.add(*Group.objects.filter(name__in=[role.name for role in STAFF_ROLES]))
    pharmacist = make_user("Pharmacist", username="ph")
    nurse = make_user("Nurse", username="rn")

    def add_work(count):
        for _ in range(count):
            make_order(everyone, sign=False)
            make_order(everyone)
            verified = make_order(everyone)
            verify(verified, by=pharmacist)
            dispensed = make_dispensed_order()
            start_follow_up(by=nurse, order=dispensed, ended_at=timezone.now() - timedelta(hours=30))
            held = make_dispensed_order()
            held.prescriber = everyone
            held.save(update_fields=["prescriber"])
            session = actions.start_session(by=nurse, order=held, setting="centre")
            InfusionSession.objects.filter(pk=session.pk).update(
                status="sent_back", sent_back_by=nurse, sent_back_at=clock.now(), sent_back_reason="weight"
            )

    client.force_login(everyone)
    add_work(2)
    client.get(reverse("web:home"))  # the first request makes the site settings row
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("web:home"))

    add_work(3)
    with django_assert_max_num_queries(MAX_QUERIES) as many:
        response = client.get(reverse("web:home"))

    assert page_queries(many) == page_queries(few)
    panels = {panel.key: panel for panel in response.context["panels"]}
    assert (panels["sent_back"].total, panels["drafts"].total, panels["verify"].total) == (5, 5, 5)
    assert (panels["dispense"].total, panels["ready"].total, panels["followup"].total) == (5, 5, 5)
    assert all(len(panel.rows) <= 1 for key, panel in panels.items() if key != "summary")

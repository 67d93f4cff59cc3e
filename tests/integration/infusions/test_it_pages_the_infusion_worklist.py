"""The nurses' worklist shows today's sessions and the orders ready to start a page at a time."""

from __future__ import annotations

from django.urls import reverse

from ivig.infusions.views import pages
from tests.drivers.infusions import checked_in


def test_it_pages_todays_sessions(client, dispensed_order, fixed_clock, monkeypatch):
    monkeypatch.setattr(pages, "WORKLIST_PER_PAGE", 1)
    d = dispensed_order
    first, second = checked_in(d), checked_in(d, day_number=2)
    client.force_login(d.nurse)

    page_one = client.get(reverse("infusions:list")).content.decode()
    page_two = client.get(reverse("infusions:list"), {"page": "2"}).content.decode()
    beyond = client.get(reverse("infusions:list"), {"page": "99"})

    flowsheets = [reverse("infusions:flowsheet", args=[s.pk]) for s in (first, second)]
    assert "Page 1 of 2" in page_one and "Page 2 of 2" in page_two
    assert sum(url in page_one for url in flowsheets) == 1
    assert sum(url in page_two for url in flowsheets) == 1
    assert beyond.status_code == 200 and "Page 2 of 2" in beyond.content.decode()  # the last page, not a 404


def test_it_keeps_the_ready_list_whole_when_it_fits(client, dispensed_order, fixed_clock):
    d = dispensed_order
    client.force_login(d.nurse)
    listing = client.get(reverse("infusions:list")).content.decode()
    assert "Start day 1" in listing and "Pages of dispensed orders" not in listing

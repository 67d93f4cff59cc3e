"""The next-page link of a patient search keeps the whole query, URL-encoded: `&`, `#`, `+` and spaces."""

from __future__ import annotations

import html
import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse

from ivig.patients.models import Patient

QUERY = "a&b#c +d"


def test_it_keeps_the_query_in_the_next_page_link(client, make_user):
    nurse = make_user("Nurse")
    # Names the form would refuse, written straight to the table: the search must still page through them.
    Patient.objects.bulk_create(
        Patient(
            mrn=f"Q{n:06d}",
            given_name="a&b#c",
            family_name=f"+d{n:02d}",
            given_key="a&b#c",
            family_key=f"+d{n:02d}",
            date_of_birth=date(1990, 1, 1),
            sex_at_birth="female",
        )
        for n in range(30)
    )
    client.force_login(nurse)

    first = client.get(reverse("patients:list"), {"q": QUERY}).content.decode()
    href = html.unescape(re.search(r'<a href="([^"]*)">Next</a>', first).group(1))

    assert parse_qs(urlsplit(href).query) == {"q": [QUERY], "page": ["2"]}
    assert "#" not in href
    second = client.get(reverse("patients:list") + href).content.decode()
    assert "Page 2 of 2" in second
    assert "Q000029" in second

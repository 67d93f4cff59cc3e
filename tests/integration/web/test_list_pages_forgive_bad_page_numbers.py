"""The list pages page like Paginator.get_page: a page number out of range or not a number shows the nearest
page (not a 404), and a search the form refuses lists every patient, as before the lists moved to ListView."""

from __future__ import annotations

import pytest
from django.urls import reverse


# Not named `page`: that is pytest-playwright's browser page fixture, and overriding it pulls this test into
# the browser tests' session parameters, which reorders the whole run around it.
@pytest.mark.parametrize("page_number", ["999", "abc", "0", "-1"])
def test_it_shows_a_page_for_any_page_number(client, make_user, make_patient, page_number):
    nurse = make_user("Nurse")
    make_patient(nurse, mrn="RB200001")
    client.force_login(nurse)

    response = client.get(reverse("patients:list"), {"page": page_number})

    assert response.status_code == 200
    assert "RB200001" in response.content.decode()


def test_it_lists_every_patient_for_a_search_too_long_to_run(client, make_user, make_patient):
    nurse = make_user("Nurse")
    make_patient(nurse, mrn="RB200001")
    client.force_login(nurse)

    response = client.get(reverse("patients:list"), {"q": "x" * 101})

    assert response.status_code == 200
    assert "RB200001" in response.content.decode()


def test_it_pages_the_audit_page_forgivingly(client, make_user):
    auditor = make_user("Quality")
    client.force_login(auditor)

    assert client.get(reverse("audit:list"), {"page": "999"}).status_code == 200

"""The Quality role's audit page filters by patient, user and date."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone


def test_it_filters_by_patient_user_and_date(client, make_user, make_patient):
    nurse, prescriber = make_user("Nurse"), make_user("Prescriber")
    make_patient(nurse, mrn="AUD00001")
    make_patient(prescriber, mrn="AUD00002")
    client.force_login(make_user("Quality"))
    today = timezone.localdate()

    by_patient = client.get(reverse("audit:list"), {"patient": "aud00001"}).context["page"]
    by_user = client.get(reverse("audit:list"), {"user": "prescriber"}).context["page"]
    by_today = client.get(reverse("audit:list"), {"date_from": today, "date_to": today}).context["page"]
    by_yesterday = client.get(reverse("audit:list"), {"date_to": today - timedelta(days=1)}).context["page"]

    assert [e.patient_mrn for e in by_patient] == ["AUD00001"]
    assert [e.patient_mrn for e in by_user] == ["AUD00002"]
    # The two registrations, and the Quality user's own sign-in (audited since issue 22).
    assert sorted(e.action for e in by_today) == ["account.sign_in", "patient.create", "patient.create"]
    assert len(by_yesterday) == 0


def test_it_explains_a_reversed_date_range(client, make_user):
    client.force_login(make_user("Quality"))

    response = client.get(reverse("audit:list"), {"date_from": "2026-05-02", "date_to": "2026-05-01"})

    assert response.status_code == 400
    assert "The &#x27;from&#x27; date is after the &#x27;to&#x27; date." in response.content.decode()

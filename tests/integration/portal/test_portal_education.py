"""Education pages: every topic of issue 6, personalised from the order's plan and the site's numbers."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from ivig.lib import pdf
from ivig.siteconfig.models import CareSite, SiteSettings
from tests.factories.patients import CareSiteFactory
from tests.factories.portal import PortalLinkFactory

TOPICS = [
    "replaces the missing ones",  # immune deficiency
    "calms this attack",  # autoimmune illness, ITP
    "plasma",
    "kill or remove viruses",
    "3 to 6 hours",
    "under the skin",
    "into a muscle",
    "home-infusion company",
    "fever below 101 °F (38.3 °C)",
    "hives or a rash",
    "hepatitis",
    "HIV has never been shown",
    "severe allergic reaction",
    "antibiotics",
    "prednisone",
    "Your own family doctor",
]


def _parent_of(make_user, patient):
    parent = make_user("Patient", username=f"parent{patient.pk}")
    PortalLinkFactory(user=parent, patient=patient)
    return parent


def test_it_covers_every_topic_with_the_patients_product_setting_duration_and_numbers(
    client, make_user, make_patient, make_dispensed_order
):
    site = SiteSettings.load()
    site.phone_appointments, site.phone_nurse_line, site.phone_after_hours = (
        "555-0100",
        "555-0101",
        "555-0199",
    )
    site.save()
    nurse = make_user("Nurse")
    child = make_patient(nurse, given_name="Mia")
    child.care_site = CareSiteFactory(name="Riverbend Day Unit", kind=CareSite.Kind.CENTRE)
    child.save()
    order = make_dispensed_order(patient=child)
    client.force_login(_parent_of(make_user, child))

    text = client.get(reverse("portal:education", args=[child.pk])).content.decode()

    for topic in TOPICS:
        assert topic in text, topic
    assert "Privigen" in text
    assert "Riverbend Day Unit (outpatient unit)" in text
    assert {round(day["duration_min"]) for day in order.plan["days"]} == {314}
    assert "about 5 h 14 min of drip each day, on 2 days" in text
    assert " to 5 h" not in text
    for number in ("555-0100", "555-0101", "555-0199"):
        assert f'href="tel:{number}"' in text


def test_it_says_so_when_nothing_is_known_yet(client, make_user, make_patient):
    child = make_patient(make_user("Nurse"))
    client.force_login(_parent_of(make_user, child))

    text = client.get(reverse("portal:education", args=[child.pk])).content.decode()

    assert "the pharmacy will choose the brand" in text
    assert "your care team will tell you" in text
    assert "none booked yet" in text


def test_the_handout_prints_and_obeys_the_csp(client, make_user, make_patient):
    child = make_patient(make_user("Nurse"))
    client.force_login(_parent_of(make_user, child))

    for url in (reverse("portal:education", args=[child.pk]), reverse("portal:handout", args=[child.pk])):
        html = client.get(url).content.decode()
        assert not re.search(r"\sstyle\s*=", html, re.IGNORECASE)
        assert "<style" not in html.lower()
        assert not re.search(r"<script(?![^>]*\ssrc=)", html, re.IGNORECASE)
        assert not re.search(r"\son[a-z]+\s*=", html, re.IGNORECASE)
    assert "ivig/css/handout.css" in html


def test_it_is_in_spanish_when_chosen(client, make_user, make_patient):
    child = make_patient(make_user("Nurse"))
    client.force_login(_parent_of(make_user, child))
    client.post(reverse("set_language"), {"language": "es", "next": "/"})

    text = client.get(reverse("portal:education", args=[child.pk])).content.decode()

    assert "¿Qué es la IVIG y por qué se da?" in text
    assert "Llame al 911 de inmediato si hay:" in text


def test_the_handout_pdf_has_the_numbers(
    client, make_user, make_patient, weasyprint_available, page_text, monkeypatch
):
    site = SiteSettings.load()
    site.phone_nurse_line = "555-0101"
    site.save()
    child = make_patient(make_user("Nurse"), given_name="Pia")
    client.force_login(_parent_of(make_user, child))
    documents: list[Any] = []
    render = pdf.render_document

    def keep(*args: Any, **kwargs: Any) -> Any:
        documents.append(render(*args, **kwargs))
        return documents[-1]

    monkeypatch.setattr(pdf, "render_document", keep)

    response = client.get(reverse("portal:handout_pdf", args=[child.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = " ".join(page_text(page) for page in documents[0].pages)
    assert "555-0101" in text and "Pia" in text and "Call 911 right away" in text


def test_it_shows_the_next_booked_home_visit(client, make_user, make_patient, make_dispensed_order):
    from datetime import timedelta

    from django.utils import timezone

    from ivig.scheduling.models import Appointment

    nurse = make_user("Nurse")
    child = make_patient(nurse, given_name="Ned")
    order = make_dispensed_order(patient=child)
    start = timezone.localtime().replace(microsecond=0) + timedelta(days=3)
    common = {
        "patient": child,
        "order": order,
        "nurse": nurse,
        "booked_by": nurse,
        "booked_at": timezone.now(),
    }
    Appointment.objects.create(
        day=start.date(), start=start, end=start + timedelta(hours=4), home_visit=True, **common
    )
    later = start + timedelta(days=1)
    Appointment.objects.create(
        day=later.date(), start=later, end=later + timedelta(hours=4), home_visit=True, course_day=2, **common
    )
    client.force_login(_parent_of(make_user, child))

    text = client.get(reverse("portal:education", args=[child.pk])).content.decode()

    assert start.strftime("%H:%M") in text and str(start.year) in text and "home visit" in text
    assert f"{start.day} {start:%B} {start.year}" in text
    assert f"{later.day} {later:%B} {later.year}" not in text

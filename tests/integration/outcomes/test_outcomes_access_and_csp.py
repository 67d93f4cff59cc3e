"""Who sees and enters labs and outcomes; the pages keep the strict CSP (no inline script or style)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    ("role", "view", "record", "trial"),
    [
        ("Prescriber", 200, True, True),
        ("Nurse", 200, True, False),
        ("Pharmacist", 200, False, False),
        ("Quality", 200, False, False),
        ("Approver", 200, False, False),
        ("Admin", 200, False, False),
        ("Scheduler", 403, False, False),
        ("Patient", 403, False, False),
    ],
)
def test_it_gives_each_role_its_outcome_rights(client, make_user, make_patient, role, view, record, trial):
    patient = make_patient(make_user("Nurse", username="registrar"))
    user = make_user(role, username=f"u-{role.lower()}")
    client.force_login(user)

    assert client.get(reverse("outcomes:patient", args=[patient.pk])).status_code == view
    assert client.get(reverse("outcomes:pk", args=[patient.pk])).status_code == view
    infection = client.post(reverse("outcomes:infection_add", args=[patient.pk]), {})
    assert (infection.status_code != 403) is record
    start = client.post(reverse("outcomes:trial_start", args=[patient.pk]), {})
    assert (start.status_code != 403) is trial


def test_it_shows_the_chart_links_only_to_roles_that_may_follow_them(client, make_user, make_patient):
    nurse = make_user("Nurse")
    patient = make_patient(nurse)
    client.force_login(nurse)
    html = client.get(reverse("patients:detail", args=[patient.pk])).content.decode()
    assert (
        reverse("outcomes:pk", args=[patient.pk]) in html
        and reverse("patients:labs", args=[patient.pk]) in html
    )

    client.force_login(make_user("Scheduler"))
    html = client.get(reverse("patients:detail", args=[patient.pk])).content.decode()
    assert reverse("outcomes:pk", args=[patient.pk]) not in html


def test_it_keeps_outcome_and_lab_pages_free_of_inline_script_and_style(client, make_user, make_pk_patient):
    prescriber = make_user("Prescriber")
    patient = make_pk_patient(prescriber, make_user("Pharmacist"))
    client.force_login(prescriber)

    for url in [
        reverse("outcomes:patient", args=[patient.pk]),
        reverse("outcomes:pk", args=[patient.pk]),
        reverse("patients:labs", args=[patient.pk]),
        reverse("patients:lab_import"),
    ]:
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        scripts = re.findall(r"<script\b[^>]*>", html)
        assert scripts and all("src=" in tag for tag in scripts), url
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"<style\b", html), url
        assert re.search(r"\son[a-z]+=", html) is None, url

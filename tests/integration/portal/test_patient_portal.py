"""A patient account sees its own record and nothing else."""

from __future__ import annotations

from django.urls import reverse

from ivig.patients import actions


def test_it_shows_a_patient_only_their_own_record(client, make_user, make_patient):
    nurse = make_user("Nurse")
    own = make_patient(nurse, given_name="Own", family_name="Record")
    other = make_patient(nurse, given_name="Someone", family_name="Else")
    portal_user = make_user("Patient", username="own.record")
    actions.link_portal_user(by=nurse, patient=own, user=portal_user)
    client.force_login(portal_user)

    mine = client.get(reverse("patients:mine"), follow=True)
    theirs = client.get(reverse("patients:detail", args=[other.pk]))

    assert mine.status_code == 200
    assert "RECORD, Own" in mine.content.decode()
    assert theirs.status_code == 404
    assert "Someone" not in theirs.content.decode()
    assert client.get(reverse("patients:edit", args=[own.pk])).status_code == 403


def test_it_explains_when_no_record_is_linked(client, make_user):
    client.force_login(make_user("Patient"))

    response = client.get(reverse("patients:mine"))

    assert response.status_code == 404
    assert "No record is linked" in response.content.decode()

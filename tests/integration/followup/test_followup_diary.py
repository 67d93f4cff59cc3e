"""A parent records the diary; the triage says what to do; other families' diaries are refused."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from ivig.clinical.triage import RULES
from ivig.followup.actions import start_follow_up
from ivig.followup.messages import RULE_MESSAGES
from ivig.followup.models import DiaryEntry
from ivig.siteconfig.models import SiteSettings


def _follow_up(make_user, make_dispensed_order, patient, hours_ago=30):
    order = make_dispensed_order(patient=patient)
    ended_at = timezone.now() - timedelta(hours=hours_ago)
    return start_follow_up(by=make_user("Nurse", username=f"n{patient.pk}"), order=order, ended_at=ended_at)


def _site():
    site = SiteSettings.load()
    site.phone_nurse_line = "555-0101"
    site.phone_after_hours = "555-0199"
    site.save()


def test_it_tells_a_parent_to_call_today_for_102_f_at_30_hours(
    client, make_user, make_dispensed_order, portal_family
):
    _site()
    parent, (child,) = portal_family("parent1", "Leo")
    follow_up = _follow_up(make_user, make_dispensed_order, child)
    client.force_login(parent)

    response = client.post(
        reverse("followup:diary", args=[follow_up.pk]),
        {"temp": "102", "temp_unit": "F", "s_tiredness": "1"},
        follow=True,
    )

    entry = DiaryEntry.objects.get()
    assert entry.level == 2 and "fever" in entry.rule_codes
    assert float(entry.temp_c) == 38.89 and entry.temp_entered == "102 F"
    assert round(entry.hours_after) == 30
    text = response.content.decode()
    assert "Call the care team today" in text
    assert "555-0101" in text and "555-0199" in text


def test_it_says_call_911_for_trouble_breathing(client, make_user, make_dispensed_order, portal_family):
    parent, (child,) = portal_family("parent2", "Ana")
    follow_up = _follow_up(make_user, make_dispensed_order, child)
    client.force_login(parent)

    response = client.post(
        reverse("followup:diary", args=[follow_up.pk]),
        {"temp_unit": "C", "s_trouble_breathing": "1"},
        follow=True,
    )

    assert "Emergency: call 911 now" in response.content.decode()
    assert 'href="tel:911"' in response.content.decode()


def test_it_refuses_an_impossible_temperature_and_saves_nothing(
    client, make_user, make_dispensed_order, portal_family
):
    parent, (child,) = portal_family("parent3", "Ivy")
    follow_up = _follow_up(make_user, make_dispensed_order, child)
    client.force_login(parent)

    response = client.post(reverse("followup:diary", args=[follow_up.pk]), {"temp": "1020", "temp_unit": "F"})

    assert response.status_code == 422
    assert "Please check the temperature" in response.content.decode()
    assert not DiaryEntry.objects.exists()


def test_it_refuses_another_familys_diary_with_404(client, make_user, make_dispensed_order, portal_family):
    parent, _ = portal_family("parent4", "Tom")
    _, (other_child,) = portal_family("parent5", "Zoe")
    theirs = _follow_up(make_user, make_dispensed_order, other_child)
    client.force_login(parent)

    assert client.get(reverse("followup:diary", args=[theirs.pk])).status_code == 404
    posted = client.post(reverse("followup:diary", args=[theirs.pk]), {"temp": "102", "temp_unit": "F"})
    assert posted.status_code == 404
    assert not DiaryEntry.objects.exists()


def test_it_shows_the_triage_in_spanish(client, make_user, make_dispensed_order, portal_family):
    parent, (child,) = portal_family("parent6", "Sol")
    follow_up = _follow_up(make_user, make_dispensed_order, child)
    client.force_login(parent)
    client.post(reverse("set_language"), {"language": "es", "next": "/"})

    response = client.post(
        reverse("followup:diary", args=[follow_up.pk]), {"temp": "38.3", "temp_unit": "C"}, follow=True
    )

    text = response.content.decode()
    assert 'lang="es"' in text
    assert "Llame al equipo de atención hoy" in text


def test_every_triage_rule_has_a_patient_message():
    assert set(RULE_MESSAGES) == set(RULES)


def test_it_says_call_911_for_a_fever_of_39_4_c_with_a_stiff_neck(
    client, make_user, make_dispensed_order, portal_family
):
    parent, (child,) = portal_family("parent7", "Max")
    follow_up = _follow_up(make_user, make_dispensed_order, child)
    client.force_login(parent)

    response = client.post(
        reverse("followup:diary", args=[follow_up.pk]),
        {"temp": "39.4", "temp_unit": "C", "s_stiff_neck_or_light_sensitivity": "1"},
        follow=True,
    )

    entry = DiaryEntry.objects.get()
    assert entry.level == 3 and entry.rule_codes[0] == "meningitis_signs_with_fever"
    text = response.content.decode()
    assert "Emergency: call 911 now" in text and "can be meningitis" in text


def test_an_entry_stored_with_the_old_meningitis_rule_still_shows(
    client, make_user, make_dispensed_order, portal_family
):
    parent, (child,) = portal_family("parent8", "Eva")
    follow_up = _follow_up(make_user, make_dispensed_order, child)
    entry = DiaryEntry.objects.create(
        follow_up=follow_up,
        recorded_at=timezone.now(),
        recorded_by=parent,
        symptoms={"stiff_neck_or_light_sensitivity": 1, "headache": 2},
        level=2,
        rule_codes=["meningitis_signs", "expected_symptom"],
    )
    client.force_login(parent)

    response = client.get(reverse("followup:entry", args=[entry.pk]))

    assert response.status_code == 200
    assert "Stiff neck, or light hurts the eyes" in response.content.decode()

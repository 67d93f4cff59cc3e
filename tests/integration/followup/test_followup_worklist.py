"""The care team's worklist: entries by priority, missing diaries, contacts, confirmed reactions with lots."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from ivig.clinical.triage import Severity, Symptom
from ivig.followup.actions import record_entry, start_follow_up
from ivig.followup.models import Contact, DiaryReaction


def _started(nurse, make_dispensed_order, patient, hours_ago):
    order = make_dispensed_order(patient=patient)
    return start_follow_up(by=nurse, order=order, ended_at=timezone.now() - timedelta(hours=hours_ago))


def test_it_lists_emergencies_first_then_calls_and_leaves_out_self_care(
    client, make_user, make_patient, make_dispensed_order
):
    nurse = make_user("Nurse")
    fever = _started(nurse, make_dispensed_order, make_patient(nurse, given_name="Fever"), 30)
    chest = _started(nurse, make_dispensed_order, make_patient(nurse, given_name="Chest"), 20)
    mild = _started(nurse, make_dispensed_order, make_patient(nurse, given_name="Mild"), 26)
    record_entry(by=nurse, follow_up=fever, temp=Decimal("102"), temp_unit="F", symptoms={})
    record_entry(
        by=nurse, follow_up=chest, temp=None, temp_unit="C", symptoms={Symptom.CHEST_PAIN: Severity.MILD}
    )
    record_entry(by=nurse, follow_up=mild, temp=Decimal("37.2"), temp_unit="C", symptoms={})
    client.force_login(nurse)

    text = client.get(reverse("followup:worklist")).content.decode()

    assert text.index("Chest") < text.index("Fever")
    assert "Mild" not in text
    assert "Emergency: call 911 now" in text and "102 F" in text


def test_it_lists_a_missing_diary_after_24_hours_until_someone_answers(
    client, make_user, make_patient, make_dispensed_order
):
    nurse = make_user("Nurse")
    silent = _started(nurse, make_dispensed_order, make_patient(nurse, given_name="Silent"), 25)
    _started(nurse, make_dispensed_order, make_patient(nurse, given_name="Early"), 23)
    client.force_login(nurse)

    before = client.get(reverse("followup:worklist")).content.decode()
    client.post(reverse("followup:contact", args=[silent.pk]), {"outcome": "no_answer"})
    still = client.get(reverse("followup:worklist")).content.decode()
    client.post(reverse("followup:contact", args=[silent.pk]), {"outcome": "advice", "notes": "All well"})
    after = client.get(reverse("followup:worklist")).content.decode()

    assert "LOVELACE, Silent" in before and "Early" not in before
    assert "LOVELACE, Silent" in still
    assert "LOVELACE, Silent" not in after


def test_a_confirmed_reaction_is_linked_to_the_order_and_its_lots(
    client, make_user, make_patient, make_dispensed_order
):
    nurse = make_user("Nurse")
    follow_up = _started(nurse, make_dispensed_order, make_patient(nurse, given_name="Rash"), 30)
    entry = record_entry(
        by=nurse,
        follow_up=follow_up,
        temp=None,
        temp_unit="C",
        symptoms={Symptom.RASH_SPREADING: Severity.MILD},
    )
    client.force_login(nurse)

    refused = client.post(
        reverse("followup:contact", args=[follow_up.pk]), {"entry": entry.pk, "outcome": "reaction"}
    )
    response = client.post(
        reverse("followup:contact", args=[follow_up.pk]),
        {
            "entry": entry.pk,
            "outcome": "reaction",
            "reaction_description": "Urticaria, trunk",
            "reaction_grade": 2,
        },
    )

    assert refused.status_code == 422 and "Describe the confirmed reaction" in refused.content.decode()
    assert response.status_code == 302
    reaction = DiaryReaction.objects.get()
    assert reaction.order == follow_up.order and reaction.grade == 2
    assert {d.lot.lot_number for d in reaction.lots.all()} == {
        d.lot.lot_number for d in follow_up.order.dispensed_lots.all()
    }
    assert len(reaction.lots.all()) == 2
    entry.refresh_from_db()
    assert entry.reviewed_by == nurse
    assert "LOVELACE, Rash" not in client.get(reverse("followup:worklist")).content.decode()
    assert Contact.objects.count() == 1


def test_it_refuses_the_worklist_and_contacts_to_patients(
    client, make_user, make_patient, make_dispensed_order
):
    nurse = make_user("Nurse")
    follow_up = _started(nurse, make_dispensed_order, make_patient(nurse), 30)
    client.force_login(make_user("Patient"))

    assert client.get(reverse("followup:worklist")).status_code == 403
    assert (
        client.post(reverse("followup:contact", args=[follow_up.pk]), {"outcome": "advice"}).status_code
        == 403
    )

"""A reaction on the flowsheet and again in the diary after that infusion: one report, both sources."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse

from ivig import clock
from ivig.audit.models import AuditEvent
from ivig.followup.actions import record_contact, start_follow_up
from ivig.followup.models import Contact
from ivig.hemovigilance.models import AdverseEventReport
from ivig.infusions.models import InfusionSession


def _end(session, nurse):
    """End the infusion now, as the flowsheet does."""
    InfusionSession.objects.filter(pk=session.pk).update(ended_at=clock.now(), ended_by=nurse)
    return clock.now()


def _confirm_in_diary(order, nurse, *, ended_at, grade=2):
    """Start the follow-up of the infusion that ended at `ended_at` (as discharge does) and confirm a
    reaction from the family's call."""
    follow_up = start_follow_up(by=nurse, order=order, ended_at=ended_at)
    contact = record_contact(
        by=nurse,
        follow_up=follow_up,
        entry=None,
        outcome=Contact.Outcome.REACTION,
        notes="Fever and chills again at home",
        reaction_description="Fever and chills the evening after",
        reaction_grade=grade,
    )
    return contact.reaction


def test_it_adds_the_diary_reaction_to_the_infusions_open_report(
    client, flowsheet_reaction, dispensed_order, quality
):
    reaction = flowsheet_reaction(grade=2)
    report = reaction.adverse_event.report

    ended_at = _end(reaction.session, dispensed_order.nurse)

    diary = _confirm_in_diary(reaction.session.order, dispensed_order.nurse, ended_at=ended_at, grade=1)

    assert AdverseEventReport.objects.count() == 1
    report.refresh_from_db()
    assert (report.flowsheet_event, report.diary_reaction) == (reaction.adverse_event, diary)
    assert report.source_label == "Infusion flowsheet and follow-up diary"
    assert report.grade == 2  # the flowsheet's grade stands; the reviewer sees the diary's beside it
    assert AuditEvent.objects.filter(action="hemovigilance.ae_link", target_id=str(report.pk)).exists()
    client.force_login(quality)
    html = client.get(reverse("hemovigilance:ae_detail", args=[report.pk])).content.decode()
    assert reverse("infusions:record", args=[reaction.session.pk]) in html
    assert reverse("followup:diary", args=[diary.follow_up_id]) in html


def test_it_opens_a_new_report_for_another_infusion(flowsheet_reaction, dispensed_order):
    reaction = flowsheet_reaction(grade=2)
    _end(reaction.session, dispensed_order.nurse)
    day_2_ended = clock.now() + timedelta(days=1)
    clock.set_now(day_2_ended + timedelta(hours=2))

    diary = _confirm_in_diary(reaction.session.order, dispensed_order.nurse, ended_at=day_2_ended)

    assert AdverseEventReport.objects.count() == 2
    assert AdverseEventReport.objects.get(diary_reaction=diary).flowsheet_event is None


def test_it_opens_a_new_report_once_the_first_is_closed(flowsheet_reaction, dispensed_order, quality):
    from tests.plugins.adverse_events import reviewed

    reaction = flowsheet_reaction(grade=2)
    from ivig.hemovigilance import actions

    report = reviewed(reaction.adverse_event.report, quality)
    actions.close_report(by=quality, report=report, reason="Expected, mild, not reportable")

    ended_at = _end(reaction.session, dispensed_order.nurse)

    diary = _confirm_in_diary(reaction.session.order, dispensed_order.nurse, ended_at=ended_at)

    assert AdverseEventReport.objects.count() == 2
    assert AdverseEventReport.objects.get(diary_reaction=diary).flowsheet_event is None

"""A report opens by itself when the flowsheet records a reaction or the care team confirms one."""

from __future__ import annotations

import importlib

from django.apps import apps

from ivig.audit.models import AuditEvent
from ivig.hemovigilance.models import AdverseEventReport


def test_it_opens_a_report_for_a_flowsheet_reaction(flowsheet_reaction, dispensed_order):
    reaction = flowsheet_reaction(grade=2)

    report = AdverseEventReport.objects.get(flowsheet_event=reaction.adverse_event)
    assert (report.patient, report.order, report.status, report.grade) == (
        reaction.session.patient,
        dispensed_order.order,
        "new",
        2,
    )
    assert report.diary_reaction is None
    assert report.product_slug == "privigen"
    assert set(report.lots.values_list("lot_number", flat=True)) == {"G20A", "F05A"}
    assert report.onset_at == reaction.onset_at
    assert report.description == reaction.adverse_event.description
    assert not report.serious and report.criteria_labels() == []
    assert report.recorded_by == dispensed_order.nurse
    assert AuditEvent.objects.filter(action="hemovigilance.ae_open", target_id=str(report.pk)).exists()


def test_it_starts_a_grade_4_reaction_as_life_threatening(flowsheet_reaction):
    reaction = flowsheet_reaction(grade=4, anaphylaxis=True)

    report = reaction.adverse_event.report
    assert report.serious and report.serious_life_threatening and not report.serious_other


def test_it_opens_a_report_for_a_confirmed_diary_reaction(diary_reaction):
    contact = diary_reaction(grade=3)
    reaction = contact.reaction

    report = AdverseEventReport.objects.get(diary_reaction=reaction)
    assert report.flowsheet_event is None
    assert (report.patient, report.order, report.grade) == (reaction.follow_up.patient, reaction.order, 3)
    expected = set(reaction.order.dispensed_lots.values_list("lot__lot_number", flat=True))
    assert set(report.lots.values_list("lot_number", flat=True)) == expected and expected
    assert report.serious and report.serious_other
    assert report.recorded_by == reaction.confirmed_by


def test_it_opens_no_report_for_a_call_without_a_reaction(make_user, make_dispensed_order):
    from datetime import timedelta

    from django.utils import timezone

    from ivig.followup.actions import record_contact, start_follow_up

    order = make_dispensed_order()
    nurse = make_user("Nurse")
    follow_up = start_follow_up(by=nurse, order=order, ended_at=timezone.now() - timedelta(hours=5))
    record_contact(by=nurse, follow_up=follow_up, entry=None, outcome="advice", notes="All well")

    assert not AdverseEventReport.objects.exists()


def test_the_migration_opens_reports_for_reactions_recorded_before(flowsheet_reaction, diary_reaction):
    event = flowsheet_reaction(grade=3).adverse_event
    reaction = diary_reaction(grade=1).reaction
    AdverseEventReport.objects.all().delete()  # as if both were recorded before the register existed
    migration = importlib.import_module("ivig.hemovigilance.migrations.0005_reports_for_existing_reactions")

    migration.forwards(apps, None)
    migration.forwards(apps, None)  # a second run adds nothing

    flowsheet = AdverseEventReport.objects.get(flowsheet_event=event)
    diary = AdverseEventReport.objects.get(diary_reaction=reaction)
    assert AdverseEventReport.objects.count() == 2
    assert (flowsheet.grade, flowsheet.serious_other, flowsheet.patient_id) == (3, True, event.patient_id)
    assert set(flowsheet.lots.values_list("lot_number", flat=True)) == {"G20A", "F05A"}
    assert (diary.grade, diary.serious, diary.patient_id) == (1, False, reaction.follow_up.patient_id)
    assert diary.lots.count() == 2 and diary.product_slug == "privigen"
    assert (diary.recorded_by_id, diary.recorded_at) == (reaction.confirmed_by_id, reaction.confirmed_at)

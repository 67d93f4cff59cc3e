"""Diary reminders at 24, 48 and 72 h: the job is safe to run again and never sends a reminder twice."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from ivig.followup.actions import start_follow_up
from ivig.followup.models import Reminder
from ivig.followup.reminders import send_due_reminders


def _started(make_user, make_dispensed_order, patient, hours_ago):
    order = make_dispensed_order(patient=patient)
    return start_follow_up(
        by=make_user("Nurse", username=f"n{patient.pk}"),
        order=order,
        ended_at=timezone.now() - timedelta(hours=hours_ago),
    )


def test_running_the_job_twice_sends_each_reminder_once(make_user, make_dispensed_order, portal_family):
    _, (child,) = portal_family("mum", "Noa", email="mum@example.org")
    follow_up = _started(make_user, make_dispensed_order, child, hours_ago=25)

    first, second = StringIO(), StringIO()
    call_command("run_followup_jobs", stdout=first)
    call_command("run_followup_jobs", stdout=second)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["mum@example.org"]
    assert "24-hour check-in after Noa's infusion" in mail.outbox[0].subject
    assert f"/follow-up/{follow_up.pk}/diary/" in mail.outbox[0].body
    assert "Han pasado unas 24 horas" in mail.outbox[0].body  # Spanish too
    assert "Reminders sent: 1" in first.getvalue()
    assert "Reminders sent: 0" in second.getvalue()
    assert list(Reminder.objects.values_list("hours", flat=True)) == [24]


def test_it_sends_the_48_and_72_hour_reminders_when_each_falls_due(
    make_user, make_dispensed_order, portal_family
):
    _, (child,) = portal_family("dad", "Eli")
    follow_up = _started(make_user, make_dispensed_order, child, hours_ago=1)
    ended = follow_up.ended_at

    sent = [send_due_reminders(ended + timedelta(hours=h)).sent for h in (23.9, 24, 30, 48.5, 71, 72, 73, 97)]

    assert sent == [0, 1, 0, 1, 0, 1, 0, 0]
    assert sorted(Reminder.objects.values_list("hours", flat=True)) == [24, 48, 72]
    assert len(mail.outbox) == 3


def test_a_late_run_skips_stale_reminders_and_sends_only_the_current_one(
    make_user, make_dispensed_order, portal_family
):
    _, (child,) = portal_family("gran", "Ada")
    follow_up = _started(make_user, make_dispensed_order, child, hours_ago=1)

    run = send_due_reminders(follow_up.ended_at + timedelta(hours=50))

    assert run.sent == 1
    assert list(Reminder.objects.values_list("hours", flat=True)) == [48]


def test_a_patient_without_a_portal_email_gets_no_reminder_and_is_counted(
    make_user, make_dispensed_order, make_patient
):
    patient = make_patient(make_user("Scheduler"))
    _started(make_user, make_dispensed_order, patient, hours_ago=25)

    run = send_due_reminders(timezone.now())

    assert (run.sent, run.skipped_no_email) == (0, 1)
    assert not Reminder.objects.exists()
    assert mail.outbox == []


def test_a_failed_send_is_retried_by_the_next_run(
    make_user, make_dispensed_order, portal_family, monkeypatch
):
    _, (child,) = portal_family("aunt", "Kai")
    follow_up = _started(make_user, make_dispensed_order, child, hours_ago=25)

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("ivig.followup.reminders.send_mail", refuse)
    failed = send_due_reminders(timezone.now())
    monkeypatch.undo()
    retried = send_due_reminders(timezone.now())

    assert (failed.sent, failed.failed) == (0, 1)
    assert retried.sent == 1
    assert Reminder.objects.get().follow_up == follow_up
    assert len(mail.outbox) == 1


def test_ivig_run_jobs_sends_the_due_reminders(make_user, make_dispensed_order, portal_family):
    from typer.testing import CliRunner

    from ivig.cli import app

    _, (child,) = portal_family("uncle", "Rio")
    _started(make_user, make_dispensed_order, child, hours_ago=49)

    first = CliRunner().invoke(app, ["run-jobs"])
    second = CliRunner().invoke(app, ["run-jobs"])

    assert first.exit_code == 0 and second.exit_code == 0, first.output
    assert len(mail.outbox) == 1 and "48-hour" in mail.outbox[0].subject

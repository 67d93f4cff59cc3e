"""Diary reminders by e-mail at 24, 48 and 72 h after an infusion ends. Safe to run again: never sends twice.

Each reminder is claimed by inserting its row first (unique on follow-up and hours) and sent inside the same
transaction: a second run, or a run at the same time, finds the row and sends nothing; a failed send rolls the
row back so the next run tries again.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from ivig.followup.models import DIARY_HOURS, FollowUp, Reminder
from ivig.lib.addresses import public_url
from ivig.patients.portal_accounts import portal_emails
from ivig.siteconfig.models import SiteSettings

# A reminder not sent within this long after it fell due is skipped: the next one (or the end) supersedes it.
SEND_WINDOW = timedelta(hours=24)


logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReminderRun:
    sent: int
    skipped_no_email: int
    failed: int = 0


def due_reminders(now: datetime) -> list[tuple[FollowUp, int]]:
    """(follow-up, hours) pairs due now and not yet sent."""
    earliest_end = now - timedelta(hours=max(DIARY_HOURS)) - SEND_WINDOW
    due = []
    follow_ups = FollowUp.objects.filter(ended_at__gt=earliest_end, ended_at__lte=now).prefetch_related(
        "reminders"
    )
    for follow_up in follow_ups.select_related("patient"):
        sent = {reminder.hours for reminder in follow_up.reminders.all()}
        for hours in DIARY_HOURS:
            due_at = follow_up.ended_at + timedelta(hours=hours)
            if hours not in sent and due_at <= now < due_at + SEND_WINDOW:
                due.append((follow_up, hours))
    return due


def send_due_reminders(now: datetime) -> ReminderRun:
    sent = skipped = failed = 0
    site = SiteSettings.load()
    for follow_up, hours in due_reminders(now):
        recipients = portal_emails(follow_up.patient)
        if not recipients:
            skipped += 1
            continue
        try:
            with transaction.atomic():
                Reminder.objects.create(follow_up=follow_up, hours=hours, sent_at=now, recipients=recipients)
                _send(follow_up, hours, recipients, site)
        except IntegrityError:
            continue  # another run sent it
        except (OSError, smtplib.SMTPException):
            # The row rolled back with the failed send: the next run tries again. Other reminders go on.
            logger.exception("Diary reminder for follow-up %s (%s h) not sent", follow_up.pk, hours)
            failed += 1
            continue
        sent += 1
    return ReminderRun(sent=sent, skipped_no_email=skipped, failed=failed)


def _send(follow_up: FollowUp, hours: int, recipients: list[str], site: SiteSettings) -> None:
    url = public_url() + reverse("followup:diary", args=[follow_up.pk])
    context = {"follow_up": follow_up, "hours": hours, "url": url, "site": site}
    # Both languages in one message: the account's language is not known when the job runs.
    parts = []
    for language in ("en", "es"):
        with translation.override(language):
            parts.append(render_to_string("followup/reminder_email.txt", context))
    with translation.override("en"):
        subject = render_to_string("followup/reminder_subject.txt", context).strip()
    send_mail(subject, "\n\n----------\n\n".join(parts), None, recipients)

"""Optional e-mail to the prescriber when an order is sent back from the bedside or an approver decides on it.

Off unless the site turns it on (IVIG_EMAIL_NOTIFICATIONS); sent only to a prescriber with an e-mail address,
after the transaction commits, so a rolled-back action never mails. The message names the order and links to
it; the clinical detail stays behind the sign-in. A failed send is logged and never undoes the action: the
order is on the prescriber's worklist and home page either way.
"""

from __future__ import annotations

import logging
import smtplib
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from ivig.lib.addresses import public_url
from ivig.orders.models import TherapyOrder

if TYPE_CHECKING:
    from ivig.accounts.models import User

logger = logging.getLogger(__name__)


def enabled() -> bool:
    return bool(getattr(settings, "IVIG_EMAIL_NOTIFICATIONS", False))


def order_url(order: TherapyOrder) -> str:
    return public_url() + reverse("orders:detail", args=[order.pk])


def tell_prescriber(order: TherapyOrder, subject: str, lines: list[str]) -> bool:
    """Queue one e-mail to the order's prescriber for when the transaction commits; False if none is sent."""
    prescriber: Any = order.prescriber
    address = (getattr(prescriber, "email", "") or "").strip()
    if not enabled() or not address:
        return False
    body = "\n\n".join([f"Dear {prescriber.display_name},", *lines, f"Open the order: {order_url(order)}"])

    def send() -> None:
        try:
            send_mail(f"[IVIG] {subject}", body, None, [address])
        except (smtplib.SMTPException, OSError):
            logger.exception("could not e-mail %s about %s", address, order.reference)

    transaction.on_commit(send)
    return True


def sent_back(order: TherapyOrder, day_number: int, reason: str, by: User) -> bool:
    who = getattr(by, "display_name", "") or str(by)
    return tell_prescriber(
        order,
        f"{order.reference} sent back from the bedside",
        [
            f"{who} stopped day {day_number} of {order.reference} before it started and sent it back to you: "
            f"{reason}.",
            "No day of this order starts until you sign a new version.",
        ],
    )


def decided(order: TherapyOrder, approved: bool, reason: str, by: User) -> bool:
    who = getattr(by, "display_name", "") or str(by)
    verdict = "approved" if approved else "refused"
    then = (
        "It goes to the pharmacy for verification." if approved else "A new version of the order asks again."
    )
    return tell_prescriber(
        order,
        f"{order.reference} {verdict}",
        [f"{who} {verdict} the authorisation of {order.reference}: {reason}", then],
    )

"""Open an adverse-event report whenever the flowsheet or the follow-up records a reaction, and keep the
lot receipt register in step with the dispensings and the flowsheet.

The signals are sent inside the recording transaction, so the report (or the receipt) commits or rolls
back with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from ivig.followup.signals import diary_reaction_confirmed
from ivig.hemovigilance import actions, receipts
from ivig.infusions.models import InfusionSession, VialScan
from ivig.infusions.signals import adverse_event_recorded
from ivig.orders.models import DispensedLot, TherapyOrder

if TYPE_CHECKING:
    from ivig.accounts.models import User


@receiver(adverse_event_recorded, dispatch_uid="hemovigilance.flowsheet_report")
def _flowsheet_event(sender: Any, *, event: Any, by: User, **kwargs: Any) -> None:
    actions.open_report_for_flowsheet_event(by=by, event=event)


@receiver(diary_reaction_confirmed, dispatch_uid="hemovigilance.diary_report")
def _diary_reaction(sender: Any, *, reaction: Any, by: User, **kwargs: Any) -> None:
    actions.open_report_for_diary_reaction(by=by, reaction=reaction)


# The lot receipt register follows the dispensings and the flowsheet inside their own transactions.


def _touches(update_fields: Any, fields: frozenset[str]) -> bool:
    return update_fields is None or any(name.removesuffix("_id") in fields for name in update_fields)


@receiver(post_save, sender=DispensedLot, dispatch_uid="hemovigilance.receipt_dispensed")
def _dispensed(sender: Any, *, instance: DispensedLot, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        receipts.refresh(orders=[instance.order_id])


@receiver(post_save, sender=VialScan, dispatch_uid="hemovigilance.receipt_scanned")
def _scanned(sender: Any, *, instance: VialScan, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if not raw and (instance.accepted or not created):  # a new refused scan gave nothing
        receipts.refresh(sessions=[instance.session_id])


# What a receipt copies from an order or an infusion, and the refresh scope of each. A new one has no
# receipts yet (its dispensings and scans make them).
COPIED_FROM = {
    InfusionSession: ("sessions", receipts.SESSION_FIELDS),
    TherapyOrder: ("orders", receipts.ORDER_FIELDS),
}


def _copied_from_saved(
    sender: Any, *, instance: Any, created: bool, update_fields: Any, raw: bool = False, **kwargs: Any
) -> None:
    scope, fields = COPIED_FROM[sender]
    if not created and not raw and _touches(update_fields, fields):
        receipts.refresh(**{scope: [instance.pk]})


for model in COPIED_FROM:
    post_save.connect(
        _copied_from_saved, sender=model, dispatch_uid=f"hemovigilance.receipts_{model.__name__}"
    )

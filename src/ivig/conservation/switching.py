"""A product switch in a shortage: the reaction history checked against the new product, and the patient and
the nurses told. The plan itself is rebuilt by the clinical core once the order says `product_switch`
(`clinical.rates.treat_as_first_infusion`: first-infusion rates, and the 1 h observation of
`scheduling`/`orders.sheet`), so nothing here sets a rate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from ivig import clock
from ivig.audit.events import record
from ivig.conservation.models import SwitchNotice
from ivig.followup.models import DiaryReaction
from ivig.infusions.models import Reaction
from ivig.orders.models import TherapyOrder
from ivig.orders.planning import product_name
from ivig.patients.models import Patient
from ivig.portal.actions import post_message

if TYPE_CHECKING:
    from ivig.accounts.models import User


def _slug(order: TherapyOrder) -> str:
    return order.verified_product_slug or order.product_slug


def reaction_history(patient: Patient) -> set[str]:
    """Products the patient has reacted to, from the flowsheet and the confirmed diary reactions."""
    orders = TherapyOrder.objects.filter(patient=patient)
    flowsheet = orders.filter(infusion_sessions__reactions__isnull=False)
    diary = orders.filter(pk__in=DiaryReaction.objects.filter(order__patient=patient).values("order"))
    slugs = {_slug(order) for order in (flowsheet | diary).distinct()}
    return {slug for slug in slugs if slug}


def reactions_to(patient: Patient, product_slug: str) -> int:
    """How many recorded reactions the patient had to this product (shown on the switch page)."""
    flowsheet = Reaction.objects.filter(session__patient=patient)
    diary = DiaryReaction.objects.filter(order__patient=patient)
    count = 0
    for reaction in flowsheet.select_related("session__order"):
        count += _slug(reaction.session.order) == product_slug
    for diary_reaction in diary.select_related("order"):
        count += _slug(diary_reaction.order) == product_slug
    return count


def nurse_message(before: TherapyOrder, after: TherapyOrder) -> str:
    old = product_name(_slug(before)) if _slug(before) else "the pharmacy's choice"
    return (
        f"{after.reference} changes the product from {old} to {product_name(_slug(after))} (shortage). "
        "Treat the next infusion as a first one: start at the initial rate on the order sheet, observe "
        "throughout and for 1 hour after it ends, epinephrine at hand."
    )


def patient_message(before: TherapyOrder, after: TherapyOrder) -> tuple[str, str]:
    new = product_name(_slug(after))
    subject = "Your immunoglobulin product is changing"
    body = (
        f"Because of a shortage, your next treatment will use a different brand of immunoglobulin: {new}. "
        "It is the same kind of medicine. Because the brand is new to you, the first infusion will start "
        "slowly and you will be asked to stay about an hour afterwards so the nurses can check on you. "
        "If you have any questions, or if you had a reaction to a product before, please tell the care team."
    )
    return subject, body


@transaction.atomic
def tell_patient_and_nurses(*, by: User, before: TherapyOrder, after: TherapyOrder) -> SwitchNotice:
    """A message on the patient's portal and a notice on the nurses' home page, both audited."""
    subject, body = patient_message(before, after)
    post_message(by=by, patient=after.patient, subject=subject, body=body)
    notice = SwitchNotice.objects.create(
        patient=after.patient,
        order=after,
        from_product_slug=_slug(before),
        to_product_slug=_slug(after),
        message=nurse_message(before, after),
        created_by=by,
    )
    return notice


@transaction.atomic
def mark_seen(*, by: User, notice: SwitchNotice) -> SwitchNotice:
    notice = SwitchNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.seen_at is None:
        notice.seen_by, notice.seen_at = by, clock.now()
        notice.save(update_fields=["seen_by", "seen_at"])
        record(
            action="conservation.notice_seen",
            by=by,
            target=notice,
            patient=notice.patient,
            summary=f"{notice.order.reference}: product-change notice seen",
        )
    return notice

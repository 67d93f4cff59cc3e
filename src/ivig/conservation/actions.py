"""Write conservation proposals: generate them for a patient, accept one (a new order through the prescribing
path), decline one with a reason. Every write is audited; a refusal leaves nothing behind.

Accepting never writes an order directly: it makes the next version of the source order (or, when that course
has been given, the next course) with `orders.actions`, changes it with `save_draft` and signs it with
`sign_order`, so the order pages' checks all run (dose limits and every other stop, a reason for each caution,
the baseline labs, approval where the criteria need it), and the new version waits for a pharmacist to verify.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction

from ivig import clock
from ivig.audit.events import record
from ivig.conservation.models import ConservationProposal, Kind
from ivig.conservation.sources import Candidate, candidates, source_order, substitution
from ivig.conservation.switching import reaction_history, tell_patient_and_nurses
from ivig.lib.refusals import ActionRefused
from ivig.orders import actions as orders
from ivig.orders.models import TherapyOrder
from ivig.outcomes.actions import start_dose_trial
from ivig.patients.models import Patient

if TYPE_CHECKING:
    from ivig.accounts.models import User

MIN_REASON_CHARS = 10  # a decline reason says why, in words: not "no" or "x" (as caution reasons, issue 16)


class ConservationError(ActionRefused):
    """A proposal could not be generated, accepted or declined; the message says why."""


def _audit(action: str, by: User, proposal: ConservationProposal, summary: str, **extra: Any) -> None:
    record(
        action=f"conservation.{action}",
        by=by,
        target=proposal,
        patient=proposal.patient,
        summary=summary,
        **extra,
    )


def _supersede_stale(by: User, patient: Patient, current: TherapyOrder) -> int:
    """Drafts made for an older order of the patient no longer apply: mark them superseded."""
    stale = list(
        ConservationProposal.objects.select_for_update()
        .filter(patient=patient, status=ConservationProposal.Status.DRAFT)
        .exclude(source_order=current)
    )
    for proposal in stale:
        proposal.status = ConservationProposal.Status.SUPERSEDED
        proposal.save(update_fields=["status"])
        _audit(
            "supersede",
            by,
            proposal,
            f"{proposal.get_kind_display()}: superseded, {current.reference} is now the patient's order",
        )
    return len(stale)


@transaction.atomic
def propose_for(
    patient: Patient, *, by: User, today: date | None = None, order: TherapyOrder | None = None
) -> list[ConservationProposal]:
    """Turn the clinical core's conservation measures for the patient's current order into draft proposals.

    Idempotent: a kind that already has a draft for this order version is not added again. Drafts for an
    older order are superseded. Returns the drafts made now (none when nothing is new)."""
    today = today or clock.localdate()
    Patient.objects.select_for_update().filter(pk=patient.pk).first()  # one generation at a time
    order = order or source_order(patient)
    if order is None:
        raise ConservationError(f"{patient.full_name} has no signed or given order to propose changes to.")
    _supersede_stale(by, patient, order)
    existing = set(
        ConservationProposal.objects.filter(
            source_order=order, status=ConservationProposal.Status.DRAFT
        ).values_list("kind", flat=True)
    )
    made = [_create(by, order, c) for c in candidates(order, today) if c.kind not in existing]
    if made:
        record(
            action="conservation.propose",
            by=by,
            target=order,
            patient=patient,
            summary=f"{order.reference}: {len(made)} conservation proposal(s): "
            + ", ".join(p.get_kind_display().lower() for p in made),
            after={"proposals": [p.pk for p in made]},
        )
    return made


def _create(by: User, order: TherapyOrder, candidate: Candidate) -> ConservationProposal:
    return ConservationProposal.objects.create(
        patient=order.patient,
        source_order=order,
        kind=candidate.kind,
        route=candidate.route,
        product_slug=candidate.product_slug,
        dose_g_per_kg=candidate.dose_g_per_kg,
        sc_dose_g=candidate.sc_dose_g,
        repeat_interval_weeks=candidate.repeat_interval_weeks,
        accept_rounded_dose=candidate.accept_rounded_dose,
        current_g_per_12_weeks=candidate.current_g_per_12_weeks,
        proposed_g_per_12_weeks=candidate.proposed_g_per_12_weeks,
        grams_saved_per_12_weeks=candidate.grams_saved_per_12_weeks,
        rationale=candidate.rationale,
        source=candidate.source[:300],
        created_by=by,
    )


def _lock_draft(proposal: ConservationProposal) -> ConservationProposal:
    proposal = (
        ConservationProposal.objects.select_for_update()
        .select_related("patient", "source_order")
        .get(pk=proposal.pk)
    )
    if proposal.status != ConservationProposal.Status.DRAFT:
        raise ConservationError(f"This proposal was already {proposal.get_status_display().lower()}.")
    return proposal


def proposed_fields(proposal: ConservationProposal, caution_reasons: dict[str, str]) -> dict[str, Any]:
    """The order fields of the new version: the proposal's changes, the screening re-run for a new product,
    and the prescriber's reasons for the cautions (kept from the source order unless given again)."""
    source = proposal.source_order
    fields = proposal.changes()
    reasons = dict(source.caution_reasons or {})
    reasons.update({code: text.strip() for code, text in caution_reasons.items() if text and text.strip()})
    fields["caution_reasons"] = reasons
    new_product = fields.get("product_slug")
    if new_product and new_product != source.product_for_plan:
        screening = dict(source.screening or {})
        # A product switch: first-infusion rates and the longer observation (clinical.rates), and the
        # reactions re-checked against the new product from the patient's recorded history.
        screening["product_switch"] = True
        screening["previous_reactions"] = sorted(
            set(screening.get("previous_reactions") or []) | reaction_history(source.patient)
        )
        fields["screening"] = screening
    if fields.get("route") == TherapyOrder.Route.SC.value:
        fields["dose_g_per_kg"] = None  # SC orders carry the weekly grams (sc_dose_g)
    return fields


@transaction.atomic
def accept(
    *,
    by: User,
    proposal: ConservationProposal,
    caution_reasons: dict[str, str] | None = None,
    overlap_acknowledged: bool = False,
    review_on: date | None = None,
    today: date | None = None,
) -> ConservationProposal:
    """Accept a draft: the next order version through the prescribing path, signed by `by`, waiting for
    verification (and approval when the criteria need it). A lowest-dose proposal starts a dose-reduction
    trial with its review date. A product change tells the patient and the nurses."""
    today = today or clock.localdate()
    proposal = _lock_draft(proposal)
    source = proposal.source_order
    if proposal.kind == Kind.LOWEST_DOSE and review_on is None:
        raise ConservationError("A lowest-effective-dose change needs the date of its review.")
    if orders.can_revise(source):
        draft = orders.revise_order(by=by, order=source)
    else:
        draft = orders.repeat_order(by=by, order=source)
    draft = orders.save_draft(
        by=by, patient=source.patient, fields=proposed_fields(proposal, caution_reasons or {}), order=draft
    )
    signed = orders.sign_order(by=by, order=draft, today=today, overlap_acknowledged=overlap_acknowledged)
    if proposal.kind == Kind.LOWEST_DOSE:
        _start_trial(by, proposal, source, signed, today, review_on)
    proposal.status = ConservationProposal.Status.ACCEPTED
    proposal.decided_by, proposal.decided_at, proposal.result_order = by, clock.now(), signed
    proposal.save(update_fields=["status", "decided_by", "decided_at", "result_order"])
    _supersede_stale(by, proposal.patient, signed)  # the other drafts were worked out for the old order
    _audit(
        "accept",
        by,
        proposal,
        f"{proposal.get_kind_display()}: accepted as {signed.reference} "
        f"({signed.get_status_display().lower()}), {proposal.grams_saved_per_12_weeks} g saved per 12 weeks",
        after={"order_id": signed.pk, "grams_saved_per_12_weeks": proposal.grams_saved_per_12_weeks},
    )
    if signed.product_for_plan != source.product_for_plan:
        tell_patient_and_nurses(by=by, before=source, after=signed)
    return proposal


def _grams_per_infusion(order: TherapyOrder) -> Decimal:
    plan = order.plan or {}
    key = "dispensed_dose_g" if order.accept_rounded_dose else "prescribed_dose_g"
    return Decimal(str(plan.get(key) or 0)).quantize(Decimal("0.01"))


def _start_trial(
    by: User,
    proposal: ConservationProposal,
    source: TherapyOrder,
    signed: TherapyOrder,
    today: date,
    review_on: date | None,
) -> None:
    interval = source.repeat_interval_weeks
    if not interval:
        raise ConservationError(
            f"{source.reference} has no repeat interval: a dose-reduction trial needs a regular regimen."
        )
    assert review_on is not None  # checked before the order was made
    start_dose_trial(
        by=by,
        patient=source.patient,
        indication=signed.indication,
        kind="reduction",
        current_dose_g=_grams_per_infusion(source),
        current_interval_weeks=interval,
        planned_dose_g=_grams_per_infusion(signed),
        planned_interval_weeks=signed.repeat_interval_weeks or interval,
        started_on=today,
        review_on=review_on,
        reason=f"Lowest effective dose in a shortage (conservation proposal {proposal.pk})",
        order=signed,
    )


@transaction.atomic
def decline(*, by: User, proposal: ConservationProposal, reason: str) -> ConservationProposal:
    """Decline a draft with the prescriber's reason, in words."""
    reason = " ".join(reason.split())
    if len(reason) < MIN_REASON_CHARS or len(set(reason.lower()) - set(" .,-")) < 4:
        raise ConservationError("Give the reason for declining, in words (at least a short sentence).")
    proposal = _lock_draft(proposal)
    proposal.status = ConservationProposal.Status.DECLINED
    proposal.decided_by, proposal.decided_at = by, clock.now()
    proposal.declined_reason = reason[:300]
    proposal.save(update_fields=["status", "decided_by", "decided_at", "declined_reason"])
    _audit(
        "decline",
        by,
        proposal,
        f"{proposal.get_kind_display()} for {proposal.source_order.reference}: declined: {reason}",
        after={"reason": reason},
    )
    return proposal


@transaction.atomic
def propose_substitution(
    *, by: User, patient: Patient, product_slug: str, reason: str, today: date | None = None
) -> ConservationProposal:
    """A draft to switch the patient's product in a shortage (a pharmacist may propose it; a prescriber
    accepts it like any proposal). One draft per order version: a second one replaces the first."""
    today = today or clock.localdate()
    reason = " ".join(reason.split())
    if len(reason) < MIN_REASON_CHARS:
        raise ConservationError("Give the reason for the switch, in words (the shortage, the product short).")
    order = source_order(patient)
    if order is None:
        raise ConservationError(f"{patient.full_name} has no signed or given order to switch.")
    if product_slug == order.product_for_plan:
        raise ConservationError("The order already uses that product: choose another one.")
    _supersede_stale(by, patient, order)
    previous = ConservationProposal.objects.select_for_update().filter(
        source_order=order, kind=Kind.SUBSTITUTION, status=ConservationProposal.Status.DRAFT
    )
    for old in previous:
        old.status = ConservationProposal.Status.SUPERSEDED
        old.save(update_fields=["status"])
        _audit("supersede", by, old, f"{old.get_kind_display()}: superseded by a new switch")
    proposal = _create(by, order, substitution(order, product_slug, today, reason))
    record(
        action="conservation.propose",
        by=by,
        target=order,
        patient=patient,
        summary=f"{order.reference}: product switch proposed: {proposal.rationale}"[:300],
        after={"proposals": [proposal.pk], "product_slug": product_slug},
    )
    return proposal


@transaction.atomic
def substitute_product(
    *,
    by: User,
    patient: Patient,
    product_slug: str,
    reason: str,
    caution_reasons: dict[str, str] | None = None,
    overlap_acknowledged: bool = False,
    today: date | None = None,
) -> ConservationProposal:
    """A prescriber switches the product at once: the switch proposal, accepted in the same step."""
    proposal = propose_substitution(
        by=by, patient=patient, product_slug=product_slug, reason=reason, today=today
    )
    accepted = accept(
        by=by,
        proposal=proposal,
        caution_reasons=caution_reasons,
        overlap_acknowledged=overlap_acknowledged,
        today=today,
    )
    order = accepted.result_order
    assert order is not None
    record(
        action="conservation.substitute",
        by=by,
        target=order,
        patient=patient,
        summary=f"{order.reference}: product switched in a shortage: {reason}"[:300],
        after={"product_slug": product_slug, "proposal_id": accepted.pk},
    )
    return accepted

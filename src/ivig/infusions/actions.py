"""Flowsheet writes before and after the pump runs: starting a session, the checklist, vital signs, discharge.

Each function is one transaction, locks the session row, and leaves an event in the record with its audit
row. Pump changes live in `pump.py`, vial scans in `scanning.py`, reactions in `reaction_actions.py`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ivig import clock
from ivig.clinical.infusion.bedside_weight import (
    LastWeight,
    check_bedside_weight,
    confirmation_text,
    off_order_pct,
)
from ivig.clinical.infusion.news2 import CONSCIOUSNESS_LABELS, Consciousness
from ivig.clinical.infusion.vitals import Measure, check_vitals, fahrenheit_to_celsius
from ivig.clinical.patient import Finding
from ivig.followup.actions import start_follow_up
from ivig.infusions import config
from ivig.infusions import news2 as early_warning
from ivig.infusions.events import (
    InfusionError,
    check_session_time,
    check_time,
    check_version,
    lock_session,
    log,
)
from ivig.infusions.identity import NOT_CONFIRMED
from ivig.infusions.models import InfusionSession, VitalSigns
from ivig.orders import notify
from ivig.orders.actions import lock_order, log_event
from ivig.orders.models import TherapyOrder
from ivig.orders.planning import treated_as_first
from ivig.orders.sent_back import hold_message, latest_send_back
from ivig.patients.actions import record_measurement
from ivig.siteconfig.monitoring import monitoring_settings

if TYPE_CHECKING:
    from ivig.accounts.models import User

STARTABLE = (TherapyOrder.Status.DISPENSED, TherapyOrder.Status.IN_PROGRESS)
# The two identifiers are not typed here: identity.py fills them from a matching wristband or check.
CHECKLIST_FIELDS = (
    "consent_confirmed",
    "weight_today_kg",
    "weight_entered_unit",
    "weight_confirmed",
    "hydration",
    "premedication_given_at",
    "premedication_note",
    "iv_access",
    "notes",
    "location",
)
FOLLOW_UP_HOURS = (
    72  # trials count adverse events within 72 h after an infusion (docs/reference/monitoring.md s8)
)


def next_day(order: TherapyOrder) -> int | None:
    """The first day of the course with no session yet (sent-back sessions do not count)."""
    taken = set(
        order.infusion_sessions.exclude(status=InfusionSession.Status.SENT_BACK).values_list(
            "day_number", flat=True
        )
    )
    return _first_free_day(order, taken)


def next_days(orders: list[TherapyOrder]) -> dict[int, int | None]:
    """`next_day` of each order, by order id, in one query (a worklist of many orders)."""
    taken: dict[int, set[int]] = {order.pk: set() for order in orders}
    sessions = InfusionSession.objects.filter(order__in=orders).exclude(
        status=InfusionSession.Status.SENT_BACK
    )
    for order_id, day in sessions.values_list("order_id", "day_number"):
        taken[order_id].add(day)
    return {order.pk: _first_free_day(order, taken[order.pk]) for order in orders}


def _first_free_day(order: TherapyOrder, taken: set[int]) -> int | None:
    days = len((order.plan or {}).get("days", []))
    return next((day for day in range(1, days + 1) if day not in taken), None)


@transaction.atomic
def start_session(
    *, by: User, order: TherapyOrder, setting: str, location: str = "", day_number: int | None = None
) -> InfusionSession:
    """Open the flowsheet for one day of a dispensed order, at the pre-infusion checklist."""
    order = lock_order(order)
    if order.status not in STARTABLE:
        raise InfusionError(
            f"{order.reference} is {order.get_status_display().lower()}: only dispensed orders start."
        )
    held = latest_send_back(order)
    if held is not None:
        raise InfusionError(hold_message(order, held))
    if order.route != TherapyOrder.Route.IV or not order.verified_plan:
        raise InfusionError(
            f"{order.reference} has no verified IV rate plan: this flowsheet runs IV infusions."
        )
    plan = order.verified_plan
    day_number = day_number or next_day(order)
    if day_number is None or not 1 <= day_number <= len(plan["days"]):
        raise InfusionError(f"Every day of {order.reference} already has a session.")
    if (
        order.infusion_sessions.filter(day_number=day_number)
        .exclude(status=InfusionSession.Status.SENT_BACK)
        .exists()
    ):
        raise InfusionError(f"Day {day_number} of {order.reference} already has a session: open it instead.")
    day = plan["days"][day_number - 1]
    concentration = config.concentration_g_per_100ml(plan["product"])
    if not day.get("steps") or concentration is None or day.get("max_rate_mg_per_kg_per_min") is None:
        raise InfusionError(f"{order.reference}: the verified plan has no rate steps for day {day_number}.")
    label_max = _label_max(plan, day)
    if setting not in InfusionSession.Setting.values:
        raise InfusionError("Choose a centre chair or a home visit.")
    session = InfusionSession.objects.create(
        order=order,
        patient=order.patient,
        day_number=day_number,
        setting=setting,
        location=location.strip()[:120],
        plan_day=day,
        rate_basis={
            "rate_weight_kg": plan["rate_weight_kg"],
            "concentration_g_per_100ml": concentration,
            "ceiling_mg_per_kg_per_min": day["max_rate_mg_per_kg_per_min"],
            "label_max_mg_per_kg_per_min": label_max,
        },
        active_steps=_steps_json(day),
        first_or_switch_or_gap=treated_as_first(order),
        volume_planned_ml=Decimal(str(day["volume_ml"])),
        created_by=by,
    )
    where = session.get_setting_display().lower() + (f" ({session.location})" if session.location else "")
    log(session, "session_open", f"session opened, {where}", by=by, at=clock.now(), bump=False)
    return session


def _label_max(plan: dict[str, Any], day: dict[str, Any]) -> float:
    from ivig.clinical.catalog import default_catalog
    from ivig.clinical.catalog.model import Indication

    product = default_catalog().get(plan["product"])
    limits = product.iv_rate_limits(Indication(plan["indication"]))
    if limits is not None and limits.max_rate_mg_per_kg_per_min.known:
        return float(limits.max_rate_mg_per_kg_per_min.value or 0.0)
    return float(day["max_rate_mg_per_kg_per_min"])


def _steps_json(day: dict[str, Any]) -> list[dict[str, Any]]:
    from ivig.clinical.infusion.titration import steps_from_plan

    return [
        {
            "rate_ml_per_h": s.rate_ml_per_h,
            "duration_min": s.duration_min,
            "rate_mg_per_kg_per_min": s.rate_mg_per_kg_per_min,
        }
        for s in steps_from_plan(day)
    ]


@transaction.atomic
def save_checklist(
    *, by: User, session: InfusionSession, expected_version: int | None, fields: dict[str, Any]
) -> InfusionSession:
    """Save what the nurse has filled in so far (autosave); the rest is checked when it is confirmed.

    A weight that needs confirming (weight_question) is refused unless `weight_confirmed` comes with it: the
    view saves the other fields and asks the question, so a typo never reaches the chart or stops the session.
    """
    session = lock_session(session)
    check_version(session, expected_version)
    if session.status != InfusionSession.Status.CHECKLIST:
        raise InfusionError("The checklist is already confirmed.")
    fields = dict(fields)
    weight = fields.get("weight_today_kg")
    if "weight_today_kg" in fields and weight != session.weight_today_kg:
        fields["weight_confirmed"] = bool(fields.get("weight_confirmed")) and weight is not None
        question = weight_question(session, weight) if weight is not None else ""
        if question and not fields["weight_confirmed"]:
            raise InfusionError(question)
    elif "weight_confirmed" in fields and not fields["weight_confirmed"]:
        fields.pop("weight_confirmed")  # an unticked box on a later autosave keeps the confirmation given
    before, after = {}, {}
    for name in CHECKLIST_FIELDS:
        if name in fields and getattr(session, name) != fields[name]:
            before[name], after[name] = getattr(session, name), fields[name]
            setattr(session, name, fields[name])
    if not after:
        return session
    session.save(update_fields=list(after))
    log(
        session,
        "checklist_save",
        "checklist saved: " + ", ".join(after),
        by=by,
        at=clock.now(),
        before=before,
        after=after,
    )
    return session


def weight_findings(session: InfusionSession, weight_kg: Decimal) -> list[Finding]:
    """What today's weight needs confirmed: off the order's weight, or implausible against the last one."""
    patient = session.patient
    latest = patient.latest_weight()
    last = None
    if latest is not None and latest.weight_kg is not None:
        last = LastWeight(kg=latest.weight_kg, on=timezone.localtime(latest.measured_at).date())
    years, months = patient.age_on(clock.localdate())
    return check_bedside_weight(
        today_kg=weight_kg,
        order_kg=session.order.weight_kg,
        tolerance_pct=Decimal(str(settings.IVIG_INFUSION_WEIGHT_TOLERANCE_PCT)),
        last=last,
        ratio_limit=Decimal(str(settings.IVIG_WEIGHT_CHANGE_CONFIRM_RATIO)),
        age_text=f"{years} years" if years >= 2 else f"{years * 12 + months} months",
    )


def weight_question(session: InfusionSession, weight_kg: Decimal) -> str:
    return confirmation_text(weight_findings(session, weight_kg))


def checklist_problems(session: InfusionSession) -> list[str]:
    problems = []
    if not session.identity_confirmed:
        problems.append(NOT_CONFIRMED)
    elif not session.identifier_1 or not session.identifier_2 or session.identifier_1 == session.identifier_2:
        problems.append("Check two different patient identifiers.")
    if not session.consent_confirmed:
        problems.append("Confirm consent.")
    if session.weight_today_kg is None:
        problems.append("Weigh the patient today.")
    elif not session.weight_confirmed and weight_question(session, session.weight_today_kg):
        problems.append("Confirm today's weight: " + weight_question(session, session.weight_today_kg))
    if not session.vitals.exists():
        problems.append("Record the baseline vital signs.")
    if not session.hydration.strip():
        problems.append("Record hydration.")
    if (
        session.order.premedication.strip()
        and session.premedication_given_at is None
        and not session.premedication_note.strip()
    ):
        problems.append("Premedication is ordered: record when it was given, or why not.")
    if not session.iv_access.strip():
        problems.append("Record the IV access.")
    return problems


@transaction.atomic
def confirm_checklist(*, by: User, session: InfusionSession, expected_version: int | None) -> InfusionSession:
    """Confirm the checklist; today's weight too far from the order's stops the session and sends it back."""
    session = lock_session(session)
    check_version(session, expected_version)
    if session.status != InfusionSession.Status.CHECKLIST:
        raise InfusionError("The checklist is already confirmed.")
    problems = checklist_problems(session)
    if problems:
        raise InfusionError(" ".join(problems))
    now = clock.now()
    weight, ordered = session.weight_today_kg or Decimal(0), session.order.weight_kg
    # checklist_problems asked any weight question above: only a weight the nurse confirmed reaches here.
    record_measurement(by=by, patient=session.patient, measured_at=now, weight_kg=weight, height_cm=None)
    off_pct = off_order_pct(weight, ordered)
    tolerance = Decimal(str(settings.IVIG_INFUSION_WEIGHT_TOLERANCE_PCT))
    if off_pct > tolerance:
        reason = (
            f"today's weight {weight} kg (confirmed by the nurse) is {off_pct:.1f} % from the order's "
            f"{ordered} kg (more than {tolerance:g} %): the dose must be checked by the prescriber"
        )
        session.status = InfusionSession.Status.SENT_BACK
        session.sent_back_by, session.sent_back_at, session.sent_back_reason = by, now, reason[:300]
        session.save(update_fields=["status", "sent_back_by", "sent_back_at", "sent_back_reason"])
        log(session, "sent_back", f"stopped and sent back to the prescriber: {reason}", by=by, at=now)
        log_event("infusion_sent_back", by, session.order, f"day {session.day_number} sent back: {reason}")
        notify.sent_back(session.order, session.day_number, reason, by)
        return session
    session.status = InfusionSession.Status.READY
    session.checklist_by, session.checklist_at = by, now
    session.save(update_fields=["status", "checklist_by", "checklist_at"])
    log(
        session,
        "checklist_confirm",
        f"checklist confirmed: identifiers {session.get_identifier_1_display()} and "
        f"{session.get_identifier_2_display()}, consent, weight {weight} kg"
        f"{' (entered in lb)' if session.weight_entered_unit == 'lb' else ''}"
        f"{', confirmed after a warning' if session.weight_confirmed else ''}, IV access {session.iv_access}",
        by=by,
        at=now,
    )
    return session


@transaction.atomic
def record_vitals(
    *,
    by: User,
    session: InfusionSession,
    taken_at: datetime,
    temperature: Decimal | None = None,
    temperature_unit: str = "C",
    heart_rate: int | None = None,
    systolic: int | None = None,
    diastolic: int | None = None,
    respiratory_rate: int | None = None,
    spo2: int | None = None,
    consciousness: str = "",
    on_oxygen: bool | None = None,
    note: str = "",
) -> VitalSigns:
    """Record a set of vital signs; values outside the site's ranges for the patient's age are flagged, and an
    adult's set is scored with NEWS2 (kept with the reading, partial when a parameter was not measured)."""
    session = lock_session(session)
    if session.status in (InfusionSession.Status.COMPLETED, InfusionSession.Status.SENT_BACK):
        raise InfusionError("This session is closed.")
    check_session_time(session, taken_at, what="The time taken")
    if (systolic is None) != (diastolic is None):
        raise InfusionError("Give both blood pressure values, systolic and diastolic.")
    if all(v is None for v in (temperature, heart_rate, systolic, respiratory_rate, spo2)):
        raise InfusionError("Enter at least one vital sign.")
    if consciousness and consciousness not in set(Consciousness):
        raise InfusionError("Choose the level of consciousness from the list (ACVPU).")
    temp_c = None
    if temperature is not None:
        temp_c = (
            Decimal(str(round(fahrenheit_to_celsius(float(temperature)), 1)))
            if temperature_unit == "F"
            else temperature
        )
    same = session.vitals.filter(
        taken_at=taken_at, temperature_c=temp_c, heart_rate=heart_rate, systolic=systolic,
        diastolic=diastolic, respiratory_rate=respiratory_rate, spo2=spo2,
    ).first()  # fmt: skip
    if same is not None:  # the same observation sent again (two tabs, two devices): kept once
        raise InfusionError(
            f"These vital signs for {timezone.localtime(taken_at):%H:%M} are already recorded."
        )
    values = {
        Measure.TEMPERATURE_C: temp_c,
        Measure.HEART_RATE: heart_rate,
        Measure.SYSTOLIC: systolic,
        Measure.DIASTOLIC: diastolic,
        Measure.RESPIRATORY_RATE: respiratory_rate,
        Measure.SPO2: spo2,
    }
    years, months = session.patient.age_on(timezone.localtime(taken_at).date())
    age_years = years + months / 12
    flags = check_vitals(
        {m: None if v is None else float(v) for m, v in values.items()}, age_years, config.vital_ranges()
    )
    news2 = early_warning.score(
        session,
        timezone.localtime(taken_at).date(),
        {m.value: v for m, v in values.items()} | {"consciousness": consciousness, "on_oxygen": on_oxygen},
    )
    vitals = VitalSigns.objects.create(
        session=session,
        taken_at=taken_at,
        temperature_c=temp_c,
        temperature_entered_unit=temperature_unit,
        heart_rate=heart_rate,
        systolic=systolic,
        diastolic=diastolic,
        respiratory_rate=respiratory_rate,
        spo2=spo2,
        consciousness=consciousness,
        on_oxygen=on_oxygen,
        flags=[flag.message for flag in flags],
        news2=news2,
        note=note.strip()[:200],
        recorded_by=by,
    )
    shown = ", ".join(
        part
        for part in (
            f"T {temp_c} °C" if temp_c is not None else "",
            f"HR {heart_rate}" if heart_rate is not None else "",
            f"BP {systolic}/{diastolic}" if systolic is not None else "",
            f"RR {respiratory_rate}" if respiratory_rate is not None else "",
            f"SpO2 {spo2} %" if spo2 is not None else "",
            {True: "on oxygen", False: "on air", None: ""}[on_oxygen],
            CONSCIOUSNESS_LABELS[Consciousness(consciousness)] if consciousness else "",
        )
        if part
    )
    flagged = f"; OUT OF RANGE: {'; '.join(vitals.flags)}" if vitals.flags else ""
    if news2 is not None:
        flagged = f"; {news2['summary']}{flagged}"
    log(
        session,
        "vitals",
        f"vital signs {shown}{flagged}",
        by=by,
        at=taken_at,
        after={"vitals_id": vitals.pk, "flags": vitals.flags, "news2": news2},
    )
    return vitals


@transaction.atomic
def discharge(
    *,
    by: User,
    session: InfusionSession,
    expected_version: int | None,
    at: datetime,
    education_given: bool,
    diary_given: bool,
    vials_wasted: int = 0,
    waste_reason: str = "",
    note: str = "",
) -> InfusionSession:
    """Discharge after the observation: education and diary given, the 72-hour follow-up starts."""
    session = lock_session(session)
    check_version(session, expected_version)
    if session.status != InfusionSession.Status.ENDED or session.ended_at is None:
        raise InfusionError("End the infusion before discharging the patient.")
    check_time(at, not_before=session.ended_at, what="The discharge time")
    observe = monitoring_settings().observe_min(first_or_switch_or_gap=session.first_or_switch_or_gap)
    if at < session.ended_at + timedelta(minutes=observe) and not note.strip():
        raise InfusionError(
            f"The observation after the infusion lasts {observe:g} min (until "
            f"{timezone.localtime(session.ended_at + timedelta(minutes=observe)):%H:%M}): give a reason to "
            "discharge earlier."
        )
    if not education_given or not diary_given:
        raise InfusionError("Give the patient the education pages and the after-infusion diary.")
    accepted = session.scans.filter(accepted=True).count()
    if vials_wasted < 0 or vials_wasted > accepted:
        raise InfusionError(f"Vials wasted must be between 0 and the {accepted} vials scanned.")
    if vials_wasted and not waste_reason.strip():
        raise InfusionError("Say why vials were wasted.")
    session.status = InfusionSession.Status.COMPLETED
    session.discharged_by, session.discharged_at = by, at
    session.education_given, session.diary_given = education_given, diary_given
    session.vials_wasted, session.waste_reason = vials_wasted, waste_reason.strip()[:200]
    session.discharge_note = note.strip()[:300]
    session.followup_due_at = at + timedelta(hours=FOLLOW_UP_HOURS)
    session.save()
    log(
        session,
        "discharge",
        f"discharged; {accepted - vials_wasted} vial(s) used, {vials_wasted} wasted; education pages and "
        "diary "
        f"given; 72-hour follow-up due {timezone.localtime(session.followup_due_at):%Y-%m-%d %H:%M}",
        by=by,
        at=at,
    )
    _complete_order_if_done(by, session.order)
    # The after-infusion diary counts its 24, 48 and 72 hours from the end of this infusion (issue 6).
    start_follow_up(by=by, order=session.order, ended_at=session.ended_at)
    return session


def mark_order_in_progress(by: User, order: TherapyOrder) -> None:
    """The first infusion of a course has started: the order is in progress."""
    order = lock_order(order)
    if order.status == TherapyOrder.Status.DISPENSED:
        order.status = TherapyOrder.Status.IN_PROGRESS
        order.save(update_fields=["status", "updated_at"])
        log_event(
            "in_progress",
            by,
            order,
            "infusion started",
            before={"status": "dispensed"},
            after={"status": order.status},
        )


def _complete_order_if_done(by: User, order: TherapyOrder) -> None:
    """Every day of the course is completed: the order is completed."""
    order = lock_order(order)
    days = len((order.verified_plan or {}).get("days", []))
    done = (
        order.infusion_sessions.filter(status=InfusionSession.Status.COMPLETED)
        .values("day_number")
        .distinct()
        .count()
    )
    if order.status == TherapyOrder.Status.IN_PROGRESS and done >= days:
        order.status = TherapyOrder.Status.COMPLETED
        order.save(update_fields=["status", "updated_at"])
        log_event(
            "completed", by, order, f"all {days} infusion day(s) completed", after={"status": order.status}
        )

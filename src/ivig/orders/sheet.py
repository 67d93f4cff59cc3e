"""What the order sheet shows: the stored clinical plan turned into rows a nurse can follow at the bedside.

The plan itself comes from the clinical core (`order.plan`, the dict of `ivig.clinical.plan._plan_dict`); this
module only formats it and adds the monitoring schedule and reaction steps. Nothing here computes a dose.
Monitoring and reaction facts: docs/reference/monitoring.md s8 (sources named in MONITORING_SOURCE,
REACTION_SOURCE).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ivig.clinical.infusion.monitoring import CheckKind, MonitoringSettings, schedule
from ivig.orders.models import INDICATION_CHOICES, TherapyOrder
from ivig.orders.planning import OrderInput, compute_plan, treated_as_first
from ivig.siteconfig.monitoring import monitoring_settings

MONITORING_SOURCE = (
    "Provincial standard IVIG administration tables (vital-sign times); EU SmPCs (observation after the "
    "infusion), as collected in docs/reference/monitoring.md s8."
)
REACTION_SOURCE = (
    "Product labels (slow or stop; resume at a lower tolerated rate; stop at once and have epinephrine for "
    "anaphylaxis); CTCAE v5.0 infusion-related reaction grades, as collected in "
    "docs/reference/monitoring.md s8."
)
PAPER_SIZES = {"a4": "A4", "letter": "letter"}

WEIGHT_BASIS_LABELS = {
    "actual": "Actual body weight",
    "ideal": "Ideal body weight",
    "adjusted": "Adjusted body weight",
}
SEVERITY_LABELS = {
    "contraindication": "Contraindication",
    "caution": "Caution",
    "info": "Note",
}


# -- number and time formatting (pure) --


def number(value: Any, places: int = 2) -> str:
    """A number without trailing zeros: 7.5, 15, 0.25. Blank for None."""
    if value is None or value == "":
        return ""
    text = f"{float(value):.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def clock(minutes: float) -> str:
    """Time from the start as h:mm, rounded to the minute: 0:30, 1:30, 5:14."""
    whole = round(minutes)
    return f"{whole // 60}:{whole % 60:02d}"


def duration(minutes: float | None) -> str:
    """A duration in words, rounded to the minute: '30 min', '3 h 44 min', '2 h'."""
    if minutes is None:
        return ""
    whole = round(minutes)
    hours, mins = divmod(whole, 60)
    if not hours:
        return f"{mins} min"
    return f"{hours} h" if not mins else f"{hours} h {mins:02d} min"


def vial_text(vials: list[dict[str, Any]]) -> str:
    """'1 x 20 g + 1 x 5 g' from a day's (or a course's) vial list."""
    parts = [f"{v['count']} × {number(v['size_g'])} g" for v in vials if v.get("count")]
    return " + ".join(parts) or "none"


# -- rows --


@dataclass(frozen=True)
class StepRow:
    number: int
    start: str
    rate_ml_per_h: str
    rate_mg_per_kg_per_min: str
    rate_ml_per_kg_per_h: str
    duration: str
    volume_ml: str


@dataclass(frozen=True)
class CheckRow:
    """One vital-signs check: when (in words) and the time from the start, if it has one."""

    when: str
    at: str


@dataclass(frozen=True)
class DaySheet:
    day: int
    dose_g: str
    dispensed_g: str
    difference_g: str
    vials: str
    vial_count: int
    volume_ml: str
    duration: str
    max_rate: str
    steps: list[StepRow]
    checks: list[CheckRow]
    sc: dict[str, str] | None = None


@dataclass(frozen=True)
class Person:
    role: str
    name: str
    at: datetime | None


@dataclass(frozen=True)
class Mark:
    """A big notice across the sheet: the order must not be given from it."""

    kind: str
    text: str
    watermark: str


@dataclass
class Sheet:
    order: TherapyOrder
    plan: dict[str, Any] | None
    plan_note: str
    mark: Mark | None
    notice: str
    age: str = ""
    facts: dict[str, str] = field(default_factory=dict)
    weight: dict[str, str] = field(default_factory=dict)
    days: list[DaySheet] = field(default_factory=list)
    total_vials: str = ""
    total_volume_ml: str = ""
    total_duration: str = ""
    lots: list[dict[str, Any]] = field(default_factory=list)
    observe_after: str = ""
    warnings: list[dict[str, str]] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    authorisation: dict[str, Any] | None = None
    allergies: list[Any] = field(default_factory=list)


def step_rows(steps: list[dict[str, Any]]) -> list[StepRow]:
    return [
        StepRow(
            number=index,
            start=clock(step["start_min"]),
            rate_ml_per_h=number(step["rate_ml_per_h"], 1),
            rate_mg_per_kg_per_min=number(step["rate_mg_per_kg_per_min"], 3),
            rate_ml_per_kg_per_h=number(step.get("rate_ml_per_kg_per_h"), 3),
            duration=duration(step["duration_min"]),
            volume_ml=number(step["volume_ml"], 1),
        )
        for index, step in enumerate(steps, start=1)
    ]


def monitoring_checks(
    steps: list[dict[str, Any]],
    duration_min: float | None,
    *,
    observe_one_hour: bool,
    settings: MonitoringSettings | None = None,
) -> list[CheckRow]:
    """The clinical core's monitoring schedule for a planned day, as minutes from the start.

    The same schedule and site settings as the flowsheet (docs/reference/monitoring.md s8): before, after the
    start,
    before each rate increase, at the end, and after. Checks that fall at the same minute are merged.
    """
    settings = settings or monitoring_settings()
    start = datetime(2000, 1, 1, tzinfo=UTC)  # any start: the sheet shows times from it
    increases: dict[int, float] = {}
    previous_rate: float | None = None
    for step in steps:
        rate = float(step["rate_ml_per_h"])
        if previous_rate is not None and rate > previous_rate:
            increases[round(step["start_min"])] = rate
        previous_rate = rate
    checks = schedule(
        settings,
        started_at=start,
        increase_times=[start + timedelta(minutes=minute) for minute in increases],
        planned_end_at=None if duration_min is None else start + timedelta(minutes=duration_min),
        first_or_switch_or_gap=observe_one_hour,
    )
    timed: dict[int, list[str]] = {}
    for check in checks:
        if check.due_at is None or check.kind in (CheckKind.BEFORE, CheckKind.AFTER):
            continue
        minute = round((check.due_at - start).total_seconds() / 60)
        if check.kind is CheckKind.AFTER_START:
            if duration_min is not None and minute >= duration_min:
                continue  # the infusion is over before then: the end check covers it
            label = f"{settings.after_start_min:g} min after the start"
        elif check.kind is CheckKind.BEFORE_INCREASE:
            label = f"Before increasing to {number(increases[minute], 1)} mL/h"
        else:
            label = "At the end of the infusion"
        timed.setdefault(minute, []).append(label)
    rows = [CheckRow("Before the start (baseline)", "0:00")]
    rows += [CheckRow("; ".join(labels), clock(minute)) for minute, labels in sorted(timed.items())]
    if observe_one_hour:
        observe = settings.observe_min(first_or_switch_or_gap=True)
        rows.append(
            CheckRow(
                f"{duration(observe)} after the end (observe throughout until then)",
                f"end + {clock(observe)}",
            )
        )
    else:
        rows.append(CheckRow("30–60 min after the end", "end + 0:30–1:00"))
    return rows


def observation_text(long: bool) -> str:
    if long:
        return (
            "First infusion, product switch or more than 8 weeks since the last dose: stay with the patient "
            "for the whole infusion and observe for 1 hour after it ends. Start at the first (lowest) rate."
        )
    return "Observe for at least 20 minutes after the infusion ends; vital signs again 30–60 minutes after."


def day_sheet(day: dict[str, Any], *, observe_one_hour: bool) -> DaySheet:
    steps = day.get("steps") or []
    sc = day.get("sc")
    return DaySheet(
        day=int(day["day"]),
        dose_g=number(day["dose_g"]),
        dispensed_g=number(day["dispensed_g"]),
        difference_g=number(day.get("difference_g")),
        vials=vial_text(day["vials"]),
        vial_count=sum(int(v["count"]) for v in day["vials"]),
        volume_ml=number(day["volume_ml"], 1),
        duration=duration(day.get("duration_min")),
        max_rate=number(day.get("max_rate_mg_per_kg_per_min"), 3),
        steps=step_rows(steps),
        checks=monitoring_checks(steps, day.get("duration_min"), observe_one_hour=observe_one_hour)
        if steps
        else [],
        sc=None
        if sc is None
        else {
            "sites": str(sc["sites"]),
            "ml_per_site": number(sc["ml_per_site"], 1),
            "rate_ml_per_h_per_site": number(sc["rate_ml_per_h_per_site"], 1),
            "total_rate_ml_per_h": number(sc["total_rate_ml_per_h"], 1),
            "duration": duration(sc["duration_min"]),
            "source": str(sc.get("limits_source", "")),
        },
    )


def course_vials(plan: dict[str, Any]) -> tuple[str, int]:
    counts: Counter[float] = Counter()
    for day in plan.get("days", []):
        for vial in day["vials"]:
            counts[float(vial["size_g"])] += int(vial["count"])
    vials = [{"size_g": size, "count": count} for size, count in sorted(counts.items(), reverse=True)]
    return vial_text(vials), sum(counts.values())


def weight_facts(plan: dict[str, Any], order: TherapyOrder) -> dict[str, str]:
    basis = str(plan.get("weight_basis", ""))
    facts = {
        "dosing_weight": f"{number(plan['dosing_weight_kg'])} kg",
        "basis": WEIGHT_BASIS_LABELS.get(basis, basis),
        "reason": str(plan.get("weight_reason", "")),
        "actual": f"{number(plan['actual_weight_kg'])} kg",
        "ideal": _kg(plan.get("ideal_weight_kg")),
        "adjusted": _kg(plan.get("adjusted_weight_kg")),
        "rate_weight": _kg(plan.get("rate_weight_kg")),
        "prescriber_reason": order.weight_basis_reason,
        "verified": _kg(order.verified_weight_kg),
    }
    return facts


def _kg(value: Any) -> str:
    return "" if value is None else f"{number(value)} kg"


def _mark(order: TherapyOrder) -> tuple[Mark | None, str]:
    status = order.status
    if status == TherapyOrder.Status.DRAFT:
        return Mark("draft", "DRAFT – not for administration", "DRAFT"), ""
    if status in (TherapyOrder.Status.CANCELLED, TherapyOrder.Status.REFUSED):
        label = order.get_status_display().upper()
        return Mark("void", f"{label} – not for administration", label.split()[0]), ""
    if status in (TherapyOrder.Status.SIGNED, TherapyOrder.Status.AWAITING_APPROVAL):
        return None, (
            "Not yet verified by pharmacy: the plan below is the prescriber's; product and vials may change "
            "at verification."
        )
    return None, ""


def _plan(order: TherapyOrder, today: date) -> tuple[dict[str, Any] | None, str]:
    if order.plan:
        note = "Plan verified by pharmacy." if order.verified_plan else "Plan as signed by the prescriber."
        return order.plan, note
    outcome = compute_plan(OrderInput.from_order(order), today)
    if outcome.plan is None:
        return None, f"No plan: {outcome.error}"
    return outcome.plan.to_dict(), "Preview of the draft's plan: it may change before signing."


def _people(order: TherapyOrder) -> list[Person]:
    rows = [
        ("Prescribed and signed by", order.prescriber, order.signed_at),
        ("Verified by (pharmacist)", order.verified_by, order.verified_at),
        ("Dispensed by", order.dispensed_by, order.dispensed_at),
    ]
    if order.cancelled_by_id:
        rows.append(("Cancelled by", order.cancelled_by, order.cancelled_at))
    return [Person(role, user.display_name if user else "—", at) for role, user, at in rows]


def _authorisation(order: TherapyOrder) -> dict[str, Any] | None:
    if not order.approval_required:
        return None
    decision = order.latest_authorisation()
    if decision is None:
        return {"state": "Awaiting approval", "until": None, "by": "", "at": None, "reason": ""}
    return {
        "state": "Approved" if decision.approved else "Refused",
        "until": decision.valid_until,
        "by": decision.decided_by.display_name,
        "at": decision.decided_at,
        "reason": decision.reason,
    }


def _order_facts(order: TherapyOrder, plan: dict[str, Any] | None) -> dict[str, str]:
    indications = dict(INDICATION_CHOICES)
    facts = {
        "indication": indications.get(order.indication, order.indication),
        "regimen": order.regimen_name,
        "route": order.get_route_display(),
        "product": plan["product_name"] if plan else "",
        "product_note": "",
        "repeat": f"every {order.repeat_interval_weeks} weeks" if order.repeat_interval_weeks else "",
        "cycles": str(order.cycles) if order.cycles else "",
        "review_date": order.review_date.isoformat() if order.review_date else "",
    }
    if not order.product_slug and not order.verified_product_slug:
        facts["product_note"] = "Pharmacy chooses the product; planned with the best-ranked suitable product."
    if plan:
        per = "per day" if plan.get("dose_per") == "day" else "per course"
        days = len(plan.get("days", []))
        facts["dose_per_kg"] = f"{number(plan['dose_g_per_kg'], 3)} g/kg {per}"
        facts["dose_per_day"] = f"{number(plan['days'][0]['dose_g'])} g" if days else ""
        facts["days"] = str(days)
        facts["course_prescribed"] = f"{number(plan['prescribed_dose_g'])} g"
        facts["course_dispensed"] = f"{number(plan['dispensed_dose_g'])} g"
    return facts


def build_sheet(order: TherapyOrder, *, today: date) -> Sheet:
    """Everything the sheet shows for one order, formatted for print."""
    plan, plan_note = _plan(order, today)
    mark, notice = _mark(order)
    sheet = Sheet(order=order, plan=plan, plan_note=plan_note, mark=mark, notice=notice)
    sheet.age = order.patient.age_text(today)
    sheet.facts = _order_facts(order, plan)
    long_observation = treated_as_first(order)
    sheet.observe_after = observation_text(long_observation)
    if plan:
        sheet.weight = weight_facts(plan, order)
        sheet.days = [day_sheet(day, observe_one_hour=long_observation) for day in plan.get("days", [])]
        text, count = course_vials(plan)
        sheet.total_vials = f"{text} ({count} vial{'s' if count != 1 else ''})"
        sheet.total_volume_ml = number(sum(float(d["volume_ml"]) for d in plan.get("days", [])), 1)
        minutes = [d.get("duration_min") for d in plan.get("days", [])]
        if minutes and all(m is not None for m in minutes):
            sheet.total_duration = duration(sum(float(m) for m in minutes if m is not None))
        # Each caution carries the prescriber's reason and the pharmacist's acknowledgement (issue 16).
        reasons = {c.get("code"): c for c in plan.get("cautions") or []}
        sheet.warnings = [
            {
                "severity": SEVERITY_LABELS.get(str(w.get("severity")), str(w.get("severity", "")).title()),
                "severity_code": str(w.get("severity", "")),
                "message": str(w.get("message", "")),
                "source": str(w.get("source") or ""),
                "reason": str(reasons.get(w.get("code"), {}).get("reason") or ""),
                "acknowledged_by": str(reasons.get(w.get("code"), {}).get("acknowledged_by") or ""),
            }
            for w in plan.get("warnings", [])
        ]
    sheet.lots = [
        {
            "lot_number": d.lot.lot_number,
            "product": str(d.lot.product),
            "expiry_date": d.lot.expiry_date,
            "vials": d.quantity_vials,
        }
        for d in order.dispensed_lots.select_related("lot__product")
    ]
    sheet.people = _people(order)
    sheet.authorisation = _authorisation(order)
    sheet.allergies = list(order.patient.allergies.filter(active=True))
    return sheet


def pdf_page_css(paper: str) -> str:
    """Stylesheet given to weasyprint only (never served): paper size and the running footer on each page."""
    size = PAPER_SIZES.get(paper, "A4")
    return (
        f"@page {{ size: {size}; margin: 14mm 12mm 16mm 12mm;"
        " @bottom-left { content: element(sheetfooter); }"
        ' @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 8pt; } }'
        " .sheet-running { display: block !important; position: running(sheetfooter) !important; }"
    )

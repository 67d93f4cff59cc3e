"""The demo history's flowsheets (demo/history.py): one completed session per course day, written in bulk
with its pump segments (the plan's steps), three sets of vital signs and the vials scanned."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal
from typing import Any

from ivig.demo.outcomes import HistoryOrder, at
from ivig.infusions import config as infusion_config
from ivig.infusions.models import InfusionSession, RateSegment, VialScan, VitalSigns


def write_sessions(orders: list[HistoryOrder], nurse: Any, rng: random.Random) -> list[InfusionSession]:
    """One completed flowsheet per course day: checklist, pump steps, vitals, vials scanned, discharge."""
    sessions: list[InfusionSession] = []
    segments: list[RateSegment] = []
    vitals: list[VitalSigns] = []
    scans: list[VialScan] = []
    for item in orders:
        plan = item.plan
        concentration = infusion_config.concentration_g_per_100ml(plan["product"])
        for index, day in enumerate(plan["days"]):
            start = at(
                item.day + timedelta(days=index),
                9 if item.setting == "centre" else 10,
                rng.choice((0, 15, 30)),
            )
            minutes = 0.0
            pieces = []
            for number, step in enumerate(day["steps"]):
                begin = start + timedelta(minutes=step["start_min"])
                end = begin + timedelta(minutes=step["duration_min"])
                pieces.append((number, begin, end, Decimal(str(step["rate_ml_per_h"]))))
                minutes = step["start_min"] + step["duration_min"]
            ended = start + timedelta(minutes=minutes)
            session = InfusionSession(
                order=item.order,
                patient=item.order.patient,
                day_number=index + 1,
                setting=item.setting,
                location="Chair " + str(rng.randint(1, 6)) if item.setting == "centre" else "Patient's home",
                status=InfusionSession.Status.COMPLETED,
                identifier_1=InfusionSession.Identifier.NAME,
                identifier_2=InfusionSession.Identifier.DATE_OF_BIRTH,
                consent_confirmed=True,
                weight_today_kg=item.order.weight_kg,
                hydration="Drinking well",
                iv_access="22G cannula, left forearm",
                identity_confirmed_by=nurse,
                identity_confirmed_at=start - timedelta(minutes=25),
                checklist_by=nurse,
                checklist_at=start - timedelta(minutes=20),
                plan_day=day,
                rate_basis={
                    "rate_weight_kg": plan["rate_weight_kg"],
                    "concentration_g_per_100ml": concentration,
                    "ceiling_mg_per_kg_per_min": day.get("max_rate_mg_per_kg_per_min"),
                },
                first_or_switch_or_gap=False,
                volume_planned_ml=Decimal(str(day["volume_ml"])),
                started_by=nurse,
                started_at=start,
                ended_by=nurse,
                ended_at=ended,
                volume_given_ml=Decimal(str(day["volume_ml"])).quantize(Decimal("0.1")),
                discharged_by=nurse,
                discharged_at=ended + timedelta(minutes=30),
                education_given=True,
                diary_given=True,
                created_by=nurse,
            )
            sessions.append(session)
            for number, begin, end, rate in pieces:
                segments.append(
                    RateSegment(
                        session=session,
                        kind="start" if number == 0 else "increase",
                        started_at=begin,
                        ended_at=end,
                        rate_ml_per_h=rate,
                        planned_rate_ml_per_h=rate,
                        recorded_by=nurse,
                    )
                )
            for kind, moment in (
                ("before", start - timedelta(minutes=10)),
                ("after_start", start + timedelta(minutes=15)),
                ("end", ended),
            ):
                vitals.append(
                    VitalSigns(
                        session=session,
                        taken_at=moment,
                        check_kind=kind,
                        temperature_c=Decimal("36.6") + Decimal(rng.randint(0, 6)) / 10,
                        heart_rate=rng.randint(62, 96),
                        systolic=rng.randint(104, 132),
                        diastolic=rng.randint(62, 84),
                        respiratory_rate=rng.randint(12, 18),
                        spo2=rng.randint(96, 99),
                        recorded_by=nurse,
                    )
                )
            for lot in dict.fromkeys(item.lots):
                scans.append(
                    VialScan(
                        session=session,
                        entry="typed",
                        lot_number=lot.lot_number,
                        expiry_date=lot.expiry_date,
                        lot=lot,
                        accepted=True,
                        scanned_by=nurse,
                        scanned_at=start - timedelta(minutes=5),
                    )
                )
    InfusionSession.objects.bulk_create(sessions)
    for session in sessions:
        assert session.checklist_at is not None
        session.created_at = session.checklist_at
    InfusionSession.objects.bulk_update(sessions, ["created_at"])
    for rows in (segments, vitals, scans):
        for row in rows:
            row.session_id = row.session.pk
    RateSegment.objects.bulk_create(segments)
    VitalSigns.objects.bulk_create(vitals)
    VialScan.objects.bulk_create(scans)
    return sessions

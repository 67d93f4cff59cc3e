"""Completion: end time and volume from the rates, observation, discharge with education and diary, the
72-hour follow-up; the order is in progress from the first start and completed when every day is done.
Every event has its audit row."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from ivig.audit.models import AuditEvent
from ivig.followup.models import FollowUp
from ivig.infusions import actions, identity
from ivig.infusions.events import InfusionError
from ivig.infusions.models import InfusionEvent
from tests.drivers.infusions import GTIN_5, GTIN_20, Pump, confirmed, running, scan


def run_day(d, fixed_clock, day_number=None):
    pump = Pump.of(d, running(d, day_number=day_number))
    fixed_clock.advance(minutes=60)
    with pytest.raises(InfusionError, match="give the reason for ending early"):
        pump.end()
    pump.end("bag empty early: pump rate checked")
    return pump


def test_it_discharges_after_the_observation_and_starts_the_follow_up(dispensed_order, fixed_clock):
    d = dispensed_order
    pump = run_day(d, fixed_clock)
    assert pump.session.volume_given_ml == Decimal("7.5")  # 60 min at 7.5 mL/h
    d.order.refresh_from_db()
    assert d.order.status == "in_progress"

    fixed_clock.advance(minutes=30)
    with pytest.raises(InfusionError, match="observation after the infusion lasts 60 min"):
        pump.discharge()
    with pytest.raises(InfusionError, match="education pages and the after-infusion diary"):
        pump.discharge(diary_given=False, note="family must leave")
    with pytest.raises(InfusionError, match="Say why vials were wasted"):
        pump.discharge(vials_wasted=1, note="family must leave")
    session = pump.discharge(vials_wasted=1, waste_reason="5 g vial dropped", note="family must leave")

    assert session.status == "completed"
    assert session.followup_due_at == session.discharged_at + timedelta(hours=72)
    # The family's diary counts its hours from the end of this infusion.
    follow_up = FollowUp.objects.get(order=d.order)
    assert follow_up.ended_at == session.ended_at
    events = InfusionEvent.objects.filter(session=session)
    audits = AuditEvent.objects.filter(target_type="infusions.InfusionSession", target_id=str(session.pk))
    assert sorted(a.after["event_id"] for a in audits) == sorted(e.pk for e in events)
    assert {a.action for a in audits} >= {
        "infusion.session_open",
        "infusion.checklist_save",
        "infusion.checklist_confirm",
        "infusion.vitals",
        "infusion.vial_scan",
        "infusion.pump_start",
        "infusion.pump_end",
        "infusion.discharge",
    }


def test_it_completes_the_order_when_every_day_is_done(dispensed_order, fixed_clock):
    d = dispensed_order
    for day in (1, 2):
        if day == 2:
            # The fixture's OLD05 is expired on purpose (for refusal tests); here it stands for a good lot.
            d.old.expiry_date = d.g20.expiry_date
            d.old.save()
        session = actions.start_session(by=d.nurse, order=d.order, setting="centre", day_number=day)
        identity.check_identifiers(
            by=d.nurse, session=session, name_confirmed=True, date_of_birth=d.order.patient.date_of_birth
        )
        session.refresh_from_db()
        session = actions.save_checklist(
            by=d.nurse,
            session=session,
            expected_version=session.version,
            fields={
                "consent_confirmed": True,
                "weight_today_kg": Decimal("25"),
                "hydration": "ok",
                "premedication_note": "declined",
                "iv_access": "R hand 24G",
            },
        )
        pump = Pump.of(d, session)
        pump.vitals()
        session = confirmed(d, pump.session)
        lot5 = d.f05 if day == 1 else d.old
        for gtin, lot in ((GTIN_20, d.g20), (GTIN_5, lot5)):
            assert scan(d, session, gtin, lot).accepted
        pump.start()
        fixed_clock.advance(minutes=30)
        pump.end("test: short day")
        fixed_clock.advance(minutes=61)
        pump.discharge()
        d.order.refresh_from_db()
        assert d.order.status == ("in_progress" if day == 1 else "completed")
        fixed_clock.advance(hours=20)
    assert AuditEvent.objects.filter(action="order.completed", target_id=str(d.order.pk)).count() == 1

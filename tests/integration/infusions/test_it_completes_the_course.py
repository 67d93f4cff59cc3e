"""Completion: end time and volume from the rates, observation, discharge with education and diary, the
72-hour follow-up; the order is in progress from the first start and completed when every day is done.
Every event has its audit row."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from ivig import clock
from ivig.audit.models import AuditEvent
from ivig.followup.models import FollowUp
from ivig.infusions import actions, identity, pump
from ivig.infusions.events import InfusionError
from ivig.infusions.models import InfusionEvent
from tests.plugins.infusions import GTIN_5, GTIN_20, barcode, running


def run_day(d, fixed_clock, day_number=None):
    session = running(d, day_number=day_number)
    fixed_clock.advance(minutes=60)
    session.refresh_from_db()
    with pytest.raises(InfusionError, match="give the reason for ending early"):
        pump.end_infusion(by=d.nurse, session=session, expected_version=session.version, at=clock.now())
    session = pump.end_infusion(
        by=d.nurse,
        session=session,
        expected_version=session.version,
        at=clock.now(),
        reason="bag empty early: pump rate checked",
    )
    return session


def test_it_discharges_after_the_observation_and_starts_the_follow_up(dispensed_order, fixed_clock):
    d = dispensed_order
    session = run_day(d, fixed_clock)
    assert session.volume_given_ml == Decimal("7.5")  # 60 min at 7.5 mL/h
    d.order.refresh_from_db()
    assert d.order.status == "in_progress"

    fixed_clock.advance(minutes=30)
    with pytest.raises(InfusionError, match="observation after the infusion lasts 60 min"):
        actions.discharge(
            by=d.nurse,
            session=session,
            expected_version=session.version,
            at=clock.now(),
            education_given=True,
            diary_given=True,
        )
    with pytest.raises(InfusionError, match="education pages and the after-infusion diary"):
        actions.discharge(
            by=d.nurse,
            session=session,
            expected_version=session.version,
            at=clock.now(),
            education_given=True,
            diary_given=False,
            note="family must leave",
        )
    with pytest.raises(InfusionError, match="Say why vials were wasted"):
        actions.discharge(
            by=d.nurse,
            session=session,
            expected_version=session.version,
            at=clock.now(),
            education_given=True,
            diary_given=True,
            vials_wasted=1,
            note="family must leave",
        )
    session = actions.discharge(
        by=d.nurse,
        session=session,
        expected_version=session.version,
        at=clock.now(),
        education_given=True,
        diary_given=True,
        vials_wasted=1,
        waste_reason="5 g vial dropped",
        note="family must leave",
    )

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
    from ivig.infusions import scanning

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
        actions.record_vitals(by=d.nurse, session=session, taken_at=clock.now(), heart_rate=90)
        session.refresh_from_db()
        session = actions.confirm_checklist(by=d.nurse, session=session, expected_version=session.version)
        lot5 = d.f05 if day == 1 else d.old
        for gtin, lot in ((GTIN_20, d.g20), (GTIN_5, lot5)):
            assert scanning.scan_vial(
                by=d.nurse, session=session, text=barcode(gtin, lot.expiry_date, lot.lot_number)
            ).accepted
        session.refresh_from_db()
        pump.start_infusion(
            by=d.nurse,
            session=session,
            expected_version=session.version,
            at=clock.now(),
            rate_ml_per_h=Decimal("7.5"),
        )
        fixed_clock.advance(minutes=30)
        session.refresh_from_db()
        session = pump.end_infusion(
            by=d.nurse,
            session=session,
            expected_version=session.version,
            at=clock.now(),
            reason="test: short day",
        )
        fixed_clock.advance(minutes=61)
        actions.discharge(
            by=d.nurse,
            session=session,
            expected_version=session.version,
            at=clock.now(),
            education_given=True,
            diary_given=True,
        )
        d.order.refresh_from_db()
        assert d.order.status == ("in_progress" if day == 1 else "completed")
        fixed_clock.advance(hours=20)
    assert AuditEvent.objects.filter(action="order.completed", target_id=str(d.order.pk)).count() == 1

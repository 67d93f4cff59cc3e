"""Bedside flows: vial labels, a session checked in, made ready and started, and a Pump that drives it.

`checked_in`, `ready` and `running` take the `dispensed_order` fixture's namespace (its nurse, order and
lots) and go through the real actions, so each writes its audit events as a nurse's clicks would.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ivig import clock


def gtin14(body: str) -> str:
    """Append the GS1 check digit to 13 digits."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


GTIN_20 = gtin14("0200000000002")
GTIN_5 = gtin14("0200000000005")
GTIN_OTHER = gtin14("0200000000009")  # Gamunex-C 10 g: another product


def barcode(gtin: str, expiry: date, lot: str, separator: str = "") -> str:
    """The human-readable form, or the raw element string with a separator when one is given."""
    if separator:
        return f"01{gtin}17{expiry:%y%m%d}10{lot}{separator}21SER{lot}"
    return f"(01){gtin}(17){expiry:%y%m%d}(10){lot}"


def label(gtin: str, lot: Any) -> str:
    """The barcode printed on a vial of `lot`."""
    return barcode(gtin, lot.expiry_date, lot.lot_number)


def scan(d: Any, session: Any, gtin: str, lot: Any) -> Any:
    """Scan one vial of `lot` into the session as the nurse; returns the VialScan (accepted or refused)."""
    from ivig.infusions import scanning

    return scanning.scan_vial(by=d.nurse, session=session, text=label(gtin, lot))


def checked_in(
    d: Any,
    *,
    weight: str = "25.4",
    setting: str = "centre",
    day_number: int | None = None,
    weight_confirmed: bool = False,
) -> Any:
    """A session with the patient identified, its checklist filled and baseline vitals, not yet confirmed."""
    from ivig.infusions import actions, identity

    session = actions.start_session(by=d.nurse, order=d.order, setting=setting, day_number=day_number)
    identity.scan_wristband(by=d.nurse, session=session, text=d.order.patient.mrn)
    session.refresh_from_db()
    session = actions.save_checklist(
        by=d.nurse,
        session=session,
        expected_version=session.version,
        fields={
            "consent_confirmed": True,
            "weight_today_kg": Decimal(weight),
            "weight_confirmed": weight_confirmed,
            "hydration": "oral fluids",
            "premedication_given_at": clock.now(),
            "iv_access": "L forearm 24G",
        },
    )
    actions.record_vitals(
        by=d.nurse, session=session, taken_at=clock.now(), heart_rate=96, systolic=104, diastolic=66
    )
    session.refresh_from_db()
    return session


def confirmed(d: Any, session: Any) -> Any:
    """Confirm a checked-in session's checklist."""
    from ivig.infusions import actions

    return actions.confirm_checklist(by=d.nurse, session=session, expected_version=session.version)


def ready(d: Any, **kwargs: Any) -> Any:
    """A confirmed session with today's vials (G20A and F05A) scanned."""
    session = confirmed(d, checked_in(d, **kwargs))
    for gtin, lot in ((GTIN_20, d.g20), (GTIN_5, d.f05)):
        vial = scan(d, session, gtin, lot)
        assert vial.accepted, vial.refusal
    session.refresh_from_db()
    return session


def running(d: Any, **kwargs: Any) -> Any:
    """A session running at the plan's first rate (7.5 mL/h) from the clock's now."""
    session = ready(d, **kwargs)
    Pump(d.nurse, session).start()
    session.refresh_from_db()
    return session


class Pump:
    """One session driven by its nurse: each call reads the session's current version and uses the clock's
    now, as the flowsheet's forms do. `session` is kept fresh after every call."""

    def __init__(self, nurse: Any, session: Any) -> None:
        self.nurse = nurse
        self.session = session

    @classmethod
    def of(cls, d: Any, session: Any) -> Pump:
        return cls(d.nurse, session)

    def _now(self) -> dict[str, Any]:
        self.session.refresh_from_db()
        return {"by": self.nurse, "session": self.session, "expected_version": self.session.version}

    def _done(self, result: Any) -> Any:
        self.session.refresh_from_db()
        return result

    def start(self, rate: str = "7.5", **fields: Any) -> Any:
        from ivig.infusions import pump

        return self._done(
            pump.start_infusion(**self._now(), at=clock.now(), rate_ml_per_h=Decimal(rate), **fields)
        )

    def change(self, rate: str, reason: str = "") -> Any:
        from ivig.infusions import pump

        return self._done(
            pump.change_rate(**self._now(), at=clock.now(), rate_ml_per_h=Decimal(rate), reason=reason)
        )

    def pause(self, reason: str) -> Any:
        from ivig.infusions import pump

        return self._done(pump.pause(**self._now(), at=clock.now(), reason=reason))

    def resume(self, rate: str, reason: str = "") -> Any:
        from ivig.infusions import pump

        return self._done(
            pump.resume(**self._now(), at=clock.now(), rate_ml_per_h=Decimal(rate), reason=reason)
        )

    def end(self, reason: str = "") -> Any:
        from ivig.infusions import pump

        self.session = pump.end_infusion(**self._now(), at=clock.now(), reason=reason)
        return self.session

    def discharge(self, *, education_given: bool = True, diary_given: bool = True, **fields: Any) -> Any:
        from ivig.infusions import actions

        self.session = actions.discharge(
            **self._now(), at=clock.now(), education_given=education_given, diary_given=diary_given, **fields
        )
        return self.session

    def vitals(self, **values: Any) -> Any:
        """Record vital signs now (a heart rate of 90 unless told)."""
        from ivig.infusions import actions

        values.setdefault("heart_rate", 90)
        return self._done(
            actions.record_vitals(by=self.nurse, session=self.session, taken_at=clock.now(), **values)
        )

    def react(self, grade: int, symptoms: tuple[str, ...] = ("chills",), **fields: Any) -> Any:
        """Record a reaction with its onset now; returns the Reaction."""
        from ivig.infusions import reaction_actions

        return self._done(
            reaction_actions.record_reaction(
                by=self.nurse,
                session=self.session,
                onset_at=clock.now(),
                grade=grade,
                symptoms=list(symptoms),
                **fields,
            )
        )

    def settle(self, reaction: Any) -> Any:
        from ivig.infusions import reaction_actions

        reaction.refresh_from_db()
        return self._done(reaction_actions.settle_reaction(by=self.nurse, reaction=reaction, at=clock.now()))

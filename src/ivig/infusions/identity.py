"""Positive patient identification at the bedside (docs/reference/identification.md s16, Joint Commission
NPSG.01.01.01).

Before the first vial is scanned the nurse scans the patient's wristband (it carries the MRN), or checks two
identifiers against the record: the name the patient (or carer) says, and the date of birth or the MRN typed
as given. A wristband of another patient, an unknown MRN, or a typed identifier that does not match is a hard
stop: the attempt is kept, refused with its reason, in the record and the audit trail, and nothing else
moves until a matching check. A match fills the checklist's two identifiers and confirms the identity; a
later mismatch undoes it.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction

from ivig import clock
from ivig.infusions.events import InfusionError, lock_session, log
from ivig.infusions.models import IdentityCheck, InfusionSession
from ivig.infusions.wristband import WristbandError, read_wristband
from ivig.patients.models import Patient

if TYPE_CHECKING:
    from ivig.accounts.models import User

Identifier = InfusionSession.Identifier
CHECKABLE = (InfusionSession.Status.CHECKLIST, InfusionSession.Status.READY)
NOT_CONFIRMED = (
    "Confirm who the patient is first: scan the wristband, or check two identifiers (name and date of birth, "
    "or MRN)."
)


class _Refused(Exception):
    pass


def require_identity(session: InfusionSession) -> None:
    """Refuse a bedside step (a vial, the pump) until the patient's identity is confirmed."""
    if not session.identity_confirmed:
        raise InfusionError(NOT_CONFIRMED)


@transaction.atomic
def scan_wristband(*, by: User, session: InfusionSession, text: str) -> IdentityCheck:
    """Check the wristband's MRN against the session's patient; a refusal is recorded, not raised."""
    session = _open(session)
    check = IdentityCheck(session=session, entry=IdentityCheck.Entry.SCAN, raw=text.strip()[:200])
    if not check.raw:
        raise InfusionError("Scan the barcode on the patient's wristband.")
    try:
        try:
            scan = read_wristband(text, separator_replacement=settings.IVIG_GS1_SEPARATOR_REPLACEMENT)
        except WristbandError as error:
            raise _Refused(str(error)) from None
        check.mrn_read = scan.mrn[:40]
        if scan.mrn != session.patient.mrn.upper():
            other = Patient.objects.filter(mrn__iexact=scan.mrn).exclude(pk=session.patient_id).exists()
            raise _Refused(
                f"WRONG PATIENT: this wristband is for another patient (MRN {scan.mrn}), not "
                f"{session.patient.mrn}."
                if other
                else f"Unknown wristband: no patient has MRN {scan.mrn}. Do not go on: check the band and "
                "the patient, and have a new band printed if it is wrong."
            )
        check.identifiers = [Identifier.WRISTBAND.value, Identifier.MRN.value]
    except _Refused as refusal:
        check.refusal = str(refusal)[:300]
    return _keep(by, session, check)


@transaction.atomic
def check_identifiers(
    *,
    by: User,
    session: InfusionSession,
    name_confirmed: bool,
    date_of_birth: date | None = None,
    mrn: str = "",
) -> IdentityCheck:
    """Two identifiers checked by hand: the name said, and the date of birth or MRN as given."""
    session = _open(session)
    patient = session.patient
    mrn = mrn.strip().upper()
    given = [
        (Identifier.NAME, name_confirmed),
        (Identifier.DATE_OF_BIRTH, date_of_birth is not None),
        (Identifier.MRN, bool(mrn)),
    ]
    checked = [kind for kind, present in given if present]
    if len(checked) < 2:
        raise InfusionError(
            "Check two identifiers: the name the patient says, and the date of birth or the MRN."
        )
    check = IdentityCheck(
        session=session,
        entry=IdentityCheck.Entry.TYPED,
        mrn_read=mrn[:40],
        identifiers=[kind.value for kind in checked],
        raw=(f"date of birth {date_of_birth:%Y-%m-%d}" if date_of_birth else "")[:200],
    )
    wrong = []
    if date_of_birth is not None and date_of_birth != patient.date_of_birth:
        wrong.append(f"the date of birth {date_of_birth:%Y-%m-%d} is not the record's")
    if mrn and mrn != patient.mrn.upper():
        wrong.append(f"the MRN {mrn} is not the record's")
    if wrong:
        check.refusal = (
            "IDENTITY NOT CONFIRMED: "
            + " and ".join(wrong)
            + ". Do not go on: this may be another patient, or the record is wrong."
        )[:300]
    return _keep(by, session, check)


def _open(session: InfusionSession) -> InfusionSession:
    session = lock_session(session)
    if session.status not in CHECKABLE:
        raise InfusionError("The patient is identified before the infusion starts.")
    return session


def _keep(by: User, session: InfusionSession, check: IdentityCheck) -> IdentityCheck:
    now = clock.now()
    check.checked_by, check.checked_at, check.accepted = by, now, not check.refusal
    check.save()
    what = check.get_entry_display().lower()
    if not check.accepted:
        # A mismatch after a match undoes it: nothing goes on until the patient is identified again.
        was_confirmed = session.identity_confirmed
        session.identity_confirmed_by, session.identity_confirmed_at = None, None
        session.save(update_fields=["identity_confirmed_by", "identity_confirmed_at"])
        log(
            session,
            "identity_refused",
            f"patient identity REFUSED ({what}): {check.refusal}",
            by=by,
            at=now,
            before={"identity_confirmed": was_confirmed},
            after={"check_id": check.pk, "raw": check.raw, "mrn_read": check.mrn_read},
        )
        return check
    first, second = check.identifiers[0], check.identifiers[1]
    before = {
        "identifier_1": session.identifier_1,
        "identifier_2": session.identifier_2,
        "identity_confirmed_at": session.identity_confirmed_at,
    }
    session.identifier_1, session.identifier_2 = first, second
    session.identity_confirmed_by, session.identity_confirmed_at = by, now
    session.save(
        update_fields=["identifier_1", "identifier_2", "identity_confirmed_by", "identity_confirmed_at"]
    )
    log(
        session,
        "identity_confirmed",
        f"patient identity confirmed ({what}: {Identifier(first).label} and {Identifier(second).label})",
        by=by,
        at=now,
        before=before,
        after={"check_id": check.pk, "identifiers": check.identifiers},
    )
    return check

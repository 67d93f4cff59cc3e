"""Positive patient identification before the first vial (docs/reference/identification.md s16): a wristband
scan or two
identifiers; another patient's band, an unknown MRN or a wrong date of birth is a hard stop, kept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse

from ivig.audit.models import AuditEvent
from ivig.infusions import actions, identity
from ivig.infusions.events import InfusionError
from ivig.infusions.models import IdentityCheck
from tests.drivers.infusions import GTIN_20, Pump, ready, scan


@pytest.fixture
def session(dispensed_order, fixed_clock):
    return actions.start_session(by=dispensed_order.nurse, order=dispensed_order.order, setting="centre")


def test_it_confirms_identity_from_the_wristbands_mrn(dispensed_order, session):
    d = dispensed_order
    check = identity.scan_wristband(by=d.nurse, session=session, text=d.order.patient.mrn.lower())

    session.refresh_from_db()
    assert check.accepted and session.identity_confirmed
    assert (session.identifier_1, session.identifier_2) == ("wristband", "mrn")
    assert AuditEvent.objects.filter(action="infusion.identity_confirmed", target_id=str(session.pk)).exists()


@override_settings(IVIG_GS1_SEPARATOR_REPLACEMENT="|")
def test_it_reads_a_gs1_8018_wristband(dispensed_order, session):
    d = dispensed_order
    patient = d.order.patient
    patient.mrn = "123456789012345675"  # a site that prints its patients' GSRN as the MRN
    patient.save(update_fields=["mrn"])

    check = identity.scan_wristband(by=d.nurse, session=session, text="]d28018123456789012345675|21X")

    assert check.accepted and check.mrn_read == "123456789012345675"


def test_it_stops_for_another_patients_wristband_and_keeps_the_attempt(
    dispensed_order, session, make_patient
):
    d = dispensed_order
    other = make_patient(d.prescriber, mrn="OTHER-9")

    check = identity.scan_wristband(by=d.nurse, session=session, text=other.mrn)

    session.refresh_from_db()
    assert not check.accepted and not session.identity_confirmed
    assert check.refusal.startswith("WRONG PATIENT: this wristband is for another patient (MRN OTHER-9)")
    assert IdentityCheck.objects.filter(session=session, accepted=False).count() == 1
    audit = AuditEvent.objects.get(action="infusion.identity_refused", target_id=str(session.pk))
    assert "WRONG PATIENT" in audit.summary


def test_it_stops_for_an_unknown_wristband(dispensed_order, session):
    check = identity.scan_wristband(by=dispensed_order.nurse, session=session, text="NOBODY-1")
    assert not check.accepted and check.refusal.startswith("Unknown wristband: no patient has MRN NOBODY-1")


def test_it_confirms_two_matching_identifiers_and_stops_a_wrong_date_of_birth(dispensed_order, session):
    d = dispensed_order
    born = d.order.patient.date_of_birth

    wrong = identity.check_identifiers(
        by=d.nurse, session=session, name_confirmed=True, date_of_birth=born - timedelta(days=1)
    )
    assert not wrong.accepted and "IDENTITY NOT CONFIRMED: the date of birth" in wrong.refusal

    with pytest.raises(InfusionError, match="Check two identifiers"):
        identity.check_identifiers(by=d.nurse, session=session, name_confirmed=True)

    right = identity.check_identifiers(by=d.nurse, session=session, name_confirmed=True, date_of_birth=born)
    session.refresh_from_db()
    assert right.accepted and (session.identifier_1, session.identifier_2) == ("name", "date_of_birth")


def test_it_refuses_the_vial_scan_and_the_checklist_until_identified(dispensed_order, session):
    d = dispensed_order
    with pytest.raises(InfusionError, match="Confirm who the patient is first"):
        scan(d, session, GTIN_20, d.g20)
    assert "Confirm who the patient is first" in " ".join(actions.checklist_problems(session))


def test_a_later_mismatch_undoes_the_identity_and_refuses_the_pump(dispensed_order, fixed_clock):
    d = dispensed_order
    session = ready(d)
    identity.scan_wristband(by=d.nurse, session=session, text="NOBODY-2")
    session.refresh_from_db()
    assert not session.identity_confirmed

    with pytest.raises(InfusionError, match="Confirm who the patient is first"):
        Pump.of(d, session).start()


def test_the_flowsheet_shows_the_stop_and_keeps_the_refused_scan(client, dispensed_order, session):
    d = dispensed_order
    client.force_login(d.nurse)
    url = reverse("infusions:identity", args=[session.pk])

    refused = client.post(url, {"wristband": "NOBODY-3"})
    assert refused.status_code == 422
    page = refused.content.decode()
    assert "STOP: Unknown wristband" in page and 'data-testid="scan-locked"' in page

    accepted = client.post(url, {"wristband": d.order.patient.mrn}, follow=True)
    page = accepted.content.decode()
    assert "Patient identified" in page and "REFUSED: Unknown wristband" in page  # the attempt stays listed
    assert 'data-testid="scan-locked"' not in page

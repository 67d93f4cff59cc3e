"""Back and resubmit, a double click: the same one-time token records once and leads to the first record."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ivig import clock
from ivig.audit.models import FormToken
from ivig.audit.once import ALREADY
from ivig.followup.actions import start_follow_up
from ivig.followup.models import DiaryEntry
from ivig.infusions.forms import TIME_FORMAT
from ivig.infusions.models import Reaction, VialScan
from ivig.orders.models import TherapyOrder
from tests.drivers.infusions import GTIN_20, barcode, checked_in, confirmed, running
from tests.drivers.orders import order_data, with_reasons
from tests.drivers.web import form_token, page, token_of, twice

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_order(client, make_user, make_patient):
    """A prescriber signed in on a child's new-order form: (patient, url, the form's token)."""
    prescriber = make_user("Prescriber")
    client.force_login(prescriber)
    patient = make_patient(prescriber, given_name="Mia", date_of_birth=date(2017, 1, 15), weight_kg="25")
    url = reverse("orders:new", args=[patient.pk])
    return patient, url, form_token(client, url, "order-form")


def test_it_signs_one_order_when_the_new_order_form_is_sent_twice(client, new_order):
    patient, url, token = new_order
    data = with_reasons(client, order_data(patient, then="sign", form_token=token))

    first, second = twice(client, url, data)

    order = TherapyOrder.objects.get(patient=patient)
    assert order.status == TherapyOrder.Status.SIGNED
    assert first.status_code == 302 and first["Location"] == reverse("orders:detail", args=[order.pk])
    assert second.redirect_chain[-1][0] == first["Location"]
    assert ALREADY in second.content.decode()
    assert FormToken.objects.get(key=token).result_url == first["Location"]


def test_it_copies_an_order_once_on_a_double_click(client, make_user, make_order):
    prescriber = make_user("Prescriber")
    client.force_login(prescriber)
    order = make_order(prescriber)
    token = form_token(client, reverse("orders:detail", args=[order.pk]))
    url = reverse("orders:repeat", args=[order.pk])

    twice(client, url, {"form_token": token})

    assert TherapyOrder.objects.filter(patient=order.patient).count() == 2  # the order and one copy


def test_a_refused_submit_leaves_the_token_for_the_corrected_form(client, new_order):
    patient, url, token = new_order

    refused = client.post(url, order_data(patient, justification="", then="draft", form_token=token))
    saved = client.post(url, order_data(patient, then="draft", form_token=token))

    assert refused.status_code == 422 and saved.status_code == 302
    assert TherapyOrder.objects.filter(patient=patient).count() == 1


@pytest.fixture
def diary(client, make_user, make_dispensed_order, portal_family):
    """A parent signed in, 26 hours after their child's infusion: the diary form's url."""
    parent, (child,) = portal_family("parent-twice", "Leo")
    order = make_dispensed_order(patient=child)
    follow_up = start_follow_up(
        by=make_user("Nurse"), order=order, ended_at=timezone.now() - timedelta(hours=26)
    )
    client.force_login(parent)
    return reverse("followup:diary", args=[follow_up.pk])


def test_it_keeps_one_diary_entry_when_it_is_sent_twice(client, diary):
    url = diary
    token = form_token(client, url)

    first, second = twice(client, url, {"temp": "99.5", "temp_unit": "F", "form_token": token})

    entry = DiaryEntry.objects.get()
    assert first["Location"] == reverse("followup:entry", args=[entry.pk])
    assert second.status_code == 200 and ALREADY in second.content.decode()


def test_two_tabs_sending_the_same_diary_entry_keep_one(client, diary):
    url = diary
    tabs = [form_token(client, url) for _tab in range(2)]

    for token in tabs:
        response = client.post(url, {"temp_unit": "C", "s_headache": "1", "form_token": token}, follow=True)

    assert DiaryEntry.objects.count() == 1
    assert "already saved" in response.content.decode()


def _flowsheet(client, session):
    return page(client, reverse("infusions:flowsheet", args=[session.pk]))


def test_it_records_vital_signs_once_when_they_are_sent_twice(client, dispensed_order, fixed_clock):
    d = dispensed_order
    session = checked_in(d)
    client.force_login(d.nurse)
    before = session.vitals.count()
    token = token_of(_flowsheet(client, session), "vitals-form")
    at = timezone.localtime(clock.now()).strftime(TIME_FORMAT)
    data = {"taken_at": at, "temperature": "37.1", "temperature_unit": "C", "heart_rate": "101"}

    first, second = twice(
        client, reverse("infusions:vitals", args=[session.pk]), data | {"form_token": token}
    )

    assert first.status_code == 302 and ALREADY in second.content.decode()
    assert session.vitals.count() == before + 1


def test_two_tabs_sending_the_same_vital_signs_keep_one(client, dispensed_order, fixed_clock):
    d = dispensed_order
    session = checked_in(d)
    client.force_login(d.nurse)
    before = session.vitals.count()
    tabs = [token_of(_flowsheet(client, session), "vitals-form") for _tab in range(2)]
    at = timezone.localtime(clock.now()).strftime(TIME_FORMAT)
    data = {"taken_at": at, "temperature": "37.1", "temperature_unit": "C", "heart_rate": "101"}

    responses = [
        client.post(reverse("infusions:vitals", args=[session.pk]), data | {"form_token": token})
        for token in tabs
    ]

    assert [r.status_code for r in responses] == [302, 422]
    assert "already recorded" in responses[1].content.decode()
    assert session.vitals.count() == before + 1


def test_it_records_a_vial_scan_once_when_it_is_sent_twice(client, dispensed_order, fixed_clock):
    d = dispensed_order
    session = confirmed(d, checked_in(d))
    client.force_login(d.nurse)
    token = token_of(_flowsheet(client, session), "scan-form")
    text = barcode(GTIN_20, d.g20.expiry_date, d.g20.lot_number)

    first, second = twice(
        client, reverse("infusions:scan", args=[session.pk]), {"scan": text, "form_token": token}
    )

    assert first.status_code == 302 and ALREADY in second.content.decode()
    assert VialScan.objects.filter(session=session).count() == 1


def test_it_records_a_reaction_and_its_treatment_once(client, dispensed_order, fixed_clock):
    d = dispensed_order
    session = running(d)
    fixed_clock.advance(minutes=10)
    client.force_login(d.nurse)
    token = token_of(_flowsheet(client, session), "reaction-form")
    at = timezone.localtime(clock.now()).strftime(TIME_FORMAT)
    data = {"onset_at": at, "grade": "1", "symptoms": ["flushing"], "form_token": token}

    first, second = twice(client, reverse("infusions:reaction", args=[session.pk]), data)

    assert first.status_code == 302 and ALREADY in second.content.decode()
    reaction = Reaction.objects.get(session=session)
    token = token_of(_flowsheet(client, session), "action-form")
    treatment = {"at": at, "description": "Paracetamol 375 mg PO", "form_token": token}
    twice(client, reverse("infusions:reaction_action", args=[session.pk, reaction.pk]), treatment)
    assert reaction.actions.count() == 1

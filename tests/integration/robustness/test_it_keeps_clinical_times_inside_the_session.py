"""Clinical times lie inside their infusion session, or the patient's life: vital signs dated 0001-01-01,
before the flowsheet opened (less SESSION_TIME_TOLERANCE), before birth or in the future are refused with a
message, and nothing is stored; a measurement dated before birth is refused too (hazard H-CLINICAL-TIME)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ivig.infusions import actions
from ivig.infusions.events import SESSION_TIME_TOLERANCE, InfusionError, opened_at
from ivig.infusions.models import VitalSigns
from ivig.patients.models import Measurement
from tests.drivers.infusions import checked_in

pytestmark = pytest.mark.django_db


def _year_one(session):
    return datetime(1, 1, 1, 10, 0, tzinfo=UTC)


def _before_opening(session):
    return opened_at(session) - SESSION_TIME_TOLERANCE - timedelta(minutes=1)


def _yesterday(session):
    return opened_at(session) - timedelta(days=1)


def _before_birth(session):
    born = session.patient.date_of_birth
    return timezone.make_aware(datetime.combine(born - timedelta(days=1), datetime.min.time()))


def _next_hour(session):
    return opened_at(session) + timedelta(hours=1)


@pytest.mark.parametrize(
    ("when", "says"),
    [
        (_year_one, "before this infusion session opened"),
        (_before_opening, "before this infusion session opened"),
        (_yesterday, "before this infusion session opened"),
        (_before_birth, "before this infusion session opened"),
        (_next_hour, "is in the future"),
    ],
    ids=["0001-01-01", "just-before-opening", "yesterday", "before-birth", "an-hour-ahead"],
)
def test_it_refuses_vital_signs_outside_the_session(dispensed_order, fixed_clock, when, says):
    session = checked_in(dispensed_order)
    before = VitalSigns.objects.count()

    with pytest.raises(InfusionError, match=says):
        actions.record_vitals(
            by=dispensed_order.nurse, session=session, taken_at=when(session), heart_rate=90
        )

    assert VitalSigns.objects.count() == before


def test_it_takes_vital_signs_noted_just_before_the_flowsheet_opened(dispensed_order, fixed_clock):
    session = checked_in(dispensed_order)
    at = opened_at(session) - SESSION_TIME_TOLERANCE + timedelta(minutes=1)

    vitals = actions.record_vitals(by=dispensed_order.nurse, session=session, taken_at=at, heart_rate=90)

    assert vitals.taken_at == at


@pytest.mark.parametrize("typed", ["0001-01-01T10:00", "1999-01-01T10:00"])
def test_it_answers_the_vitals_page_with_a_refusal_not_a_500(client, dispensed_order, fixed_clock, typed):
    session = checked_in(dispensed_order)
    client.force_login(dispensed_order.nurse)
    before = VitalSigns.objects.count()

    response = client.post(
        reverse("infusions:vitals", args=[session.pk]),
        {"taken_at": typed, "heart_rate": "90", "temperature_unit": "C"},
    )

    assert response.status_code == 422
    assert "before this infusion session opened" in response.content.decode()
    assert VitalSigns.objects.count() == before


@pytest.mark.parametrize("measured_on", ["0001-01-01", "2000-01-01"])
def test_it_refuses_a_measurement_dated_before_birth(client, make_user, make_patient, measured_on):
    nurse = make_user("Nurse")
    patient = make_patient(nurse, date_of_birth=date(2010, 6, 1))
    client.force_login(nurse)
    before = Measurement.objects.count()

    response = client.post(
        reverse("patients:measurement_add", args=[patient.pk]),
        {"measured_on": measured_on, "weight": "30", "weight_unit": "kg", "height_unit": "cm"},
    )

    assert response.status_code == 400
    assert "before" in response.content.decode() and "was born" in response.content.decode()
    assert Measurement.objects.count() == before

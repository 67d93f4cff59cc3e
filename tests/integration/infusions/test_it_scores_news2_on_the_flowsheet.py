"""NEWS2 (docs/reference/monitoring.md s14) on the flowsheet, the live panel and the record: adults are scored
from the
site's default, children keep the site ranges and see a banner while none are set, a site may switch it off,
a clinician may choose SpO2 scale 2 for a patient."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse

from ivig import clock
from ivig.infusions.models import InfusionEvent, Spo2ScaleChoice
from ivig.infusions.news2 import NO_RANGES
from ivig.orders.models import TherapyOrder
from ivig.patients.models import Patient
from ivig.siteconfig.models import SiteSettings
from tests.drivers.infusions import running
from tests.factories.infusions import VitalSignRangeFactory


def _adult(d) -> None:
    Patient.objects.filter(pk=d.order.patient_id).update(date_of_birth=date(date.today().year - 45, 3, 2))


def _post_vitals(client, session, **values):
    at = clock.now().astimezone().strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("infusions:vitals", args=[session.pk]), {"taken_at": at, "temperature_unit": "C", **values}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return session.vitals.latest("id")


def _pages(client, session):
    return [
        client.get(reverse(name, args=[session.pk])).content.decode()
        for name in ("infusions:flowsheet", "infusions:status", "infusions:record")
    ]


def test_it_scores_38_0_c_with_a_pulse_of_112_for_an_adult_and_shows_it_everywhere(
    client, dispensed_order, fixed_clock
):
    d = dispensed_order
    _adult(d)
    session = running(d)
    client.force_login(d.nurse)

    vitals = _post_vitals(client, session, temperature="38.0", heart_rate="112")

    assert vitals.flags == []  # no site ranges: before NEWS2 nothing was flagged
    assert vitals.news2["total"] == 2
    assert vitals.news2["band"] == "nurse_assesses"
    assert vitals.news2["partial"] is True
    assert "respiration rate" in vitals.news2["missing"]
    assert "docs/reference/monitoring.md s14" in vitals.news2["source"]
    flowsheet, status, record = _pages(client, session)
    for html in (flowsheet, status, record):
        assert "NEWS2 2 (partial)" in html or ">2 (partial)<" in html
        assert "A registered nurse assesses" in html
    assert 'data-testid="news2-latest"' in status
    assert NO_RANGES not in flowsheet
    event = InfusionEvent.objects.filter(session=session, kind="vitals").latest("id")
    assert "NEWS2 2 (partial" in event.summary


def test_it_scores_a_full_set_with_oxygen_and_new_confusion(client, dispensed_order, fixed_clock):
    d = dispensed_order
    _adult(d)
    session = running(d)
    client.force_login(d.nurse)

    vitals = _post_vitals(
        client,
        session,
        temperature="37.0",
        heart_rate="80",
        systolic="120",
        diastolic="80",
        respiratory_rate="16",
        spo2="97",
        on_oxygen="oxygen",
        consciousness="confusion",
    )

    assert vitals.on_oxygen is True and vitals.consciousness == "confusion"
    assert (vitals.news2["total"], vitals.news2["partial"]) == (5, False)
    assert vitals.news2["band"] == "urgent_response"
    flowsheet = _pages(client, session)[0]
    assert "NEWS2 5</span>" in flowsheet and "Urgent response" in flowsheet
    assert "on oxygen, New confusion" in flowsheet


def test_it_uses_spo2_scale_2_when_chosen_for_the_patient(client, dispensed_order, fixed_clock):
    d = dispensed_order
    _adult(d)
    Spo2ScaleChoice.objects.create(
        patient=d.order.patient,
        scale=2,
        reason="Confirmed hypercapnic respiratory failure",
        chosen_by=d.prescriber,
    )
    session = running(d)
    client.force_login(d.nurse)

    vitals = _post_vitals(client, session, spo2="90", on_oxygen="air")

    assert vitals.news2["scale"] == 2
    assert vitals.news2["scores"]["spo2"] == 0  # 90 % is within scale 2's 88-92 % target; scale 1 scores 3
    assert "SpO2 scale 2" in _pages(client, session)[0]


def test_it_does_not_score_a_child_and_shows_a_banner_until_the_site_sets_ranges(
    client, dispensed_order, fixed_clock
):
    d = dispensed_order  # an 8-year-old
    session = running(d)
    client.force_login(d.nurse)

    vitals = _post_vitals(client, session, temperature="38.0", heart_rate="112")

    assert vitals.news2 is None
    flowsheet, status, _ = _pages(client, session)
    assert NO_RANGES in flowsheet
    assert "not validated in children" in status
    VitalSignRangeFactory(measure="temperature_c", high=Decimal("38.0"), source="site fever protocol")
    partly = _pages(client, session)[0]
    assert NO_RANGES not in partly
    assert "No vital-sign range for this age for Heart rate, Systolic blood pressure" in partly
    for measure in ("heart_rate", "systolic", "respiratory_rate", "spo2"):
        VitalSignRangeFactory(measure=measure, low=1, max_age_years=16)
    assert 'data-testid="no-vital-ranges"' not in _pages(client, session)[0]


def test_it_does_not_score_in_pregnancy(client, dispensed_order, fixed_clock):
    d = dispensed_order
    _adult(d)
    TherapyOrder.objects.filter(pk=d.order.pk).update(pre_pregnancy_weight_kg=Decimal("24"))
    session = running(d)
    client.force_login(d.nurse)

    vitals = _post_vitals(client, session, temperature="38.0", heart_rate="112")

    assert vitals.news2 is None
    flowsheet, status, _ = _pages(client, session)
    assert "not validated there" in status
    assert NO_RANGES in flowsheet


def test_a_site_may_switch_news2_off_and_then_relies_on_its_ranges(client, dispensed_order, fixed_clock):
    d = dispensed_order
    _adult(d)
    settings = SiteSettings.load()
    settings.news2_for_adults = False
    settings.save()
    session = running(d)
    client.force_login(d.nurse)

    vitals = _post_vitals(client, session, temperature="38.0", heart_rate="112")

    assert vitals.news2 is None
    flowsheet, status, _ = _pages(client, session)
    assert "switched off in the site settings" in status
    assert NO_RANGES in flowsheet

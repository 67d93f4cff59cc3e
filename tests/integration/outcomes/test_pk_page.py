"""The IgG PK page: dose history from dispensed orders, levels from lab results, the core's fit and chart."""

from __future__ import annotations

import re
from datetime import time
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from ivig.clinical.catalog import default_catalog
from ivig.clinical.catalog.model import Route
from ivig.clinical.pk.doses import Dose
from ivig.clinical.pk.fit import Level
from ivig.clinical.pk.model import Covariates, Deficiency
from ivig.clinical.pk.report import pk_report
from ivig.orders.planning import site_settings
from ivig.siteconfig.models import SiteSettings


@pytest.fixture
def setup(make_user, make_pk_patient):
    prescriber = make_user("Prescriber")
    pharmacist = make_user("Pharmacist")
    return prescriber, make_pk_patient(prescriber, pharmacist)


def test_it_fits_the_dispensed_doses_and_levels_like_the_core(client, setup):
    prescriber, patient = setup
    client.force_login(prescriber)

    response = client.get(reverse("outcomes:pk", args=[patient.pk]))

    assert response.status_code == 200
    inputs, report = response.context["inputs"], response.context["report"]
    assert inputs.missing == [] and len(inputs.doses) == 13 and len(inputs.levels) == 3
    # The same history built by hand from the orders gives the same fit and suggestion.
    doses = []
    for order in patient.orders.order_by("dispensed_at"):
        day = order.verified_plan["days"][0]
        start = timezone.localtime(order.dispensed_at).replace(tzinfo=None)
        doses.append(Dose(start, day["dispensed_g"], Route.IV, day["duration_min"] / 60, "privigen"))
    from datetime import datetime

    levels = [
        Level(datetime.combine(r.taken_on, time(0)), float(r.value))
        for r in patient.lab_results.filter(kind="igg").order_by("taken_on")
    ]
    expected = pk_report(
        Covariates(70.0, Deficiency.PRIMARY),
        doses,
        levels,
        target_trough_g_per_l=6.0,
        interval_weeks=4.0,
        route=Route.IV,
        duration_h=doses[-1].duration_h,
        product=default_catalog().get("privigen"),
        settings=site_settings(),
        days_ahead=35,
    )
    assert report.fit.individual.cl_l_per_day == pytest.approx(expected.fit.individual.cl_l_per_day)
    assert report.suggestion.dose_g == pytest.approx(expected.suggestion.dose_g)
    html = response.content.decode()
    assert 'id="chart-igg"' in html and 'class="chart-band"' in html and 'class="chart-curve"' in html
    assert html.count('class="chart-event"') == 13
    assert html.count('class="chart-point"') == 3
    assert f"{expected.suggestion.dispensed_g:.1f} g" in html
    assert "LOINC 2465-3" in html


def test_it_suggests_for_the_chosen_target_and_interval(client, setup):
    prescriber, patient = setup
    client.force_login(prescriber)
    url = reverse("outcomes:pk", args=[patient.pk])

    low = client.get(
        url, {"target_trough_g_per_l": "6", "regimen": "iv4", "product": "privigen", "deficiency": "primary"}
    )
    high = client.get(
        url, {"target_trough_g_per_l": "9", "regimen": "iv3", "product": "privigen", "deficiency": "primary"}
    )

    s_low, s_high = (r.context["report"].suggestion for r in (low, high))
    assert s_high.interval_weeks == 3 and s_high.trough_for(s_high.dose_g) == pytest.approx(9.0)
    assert s_low.dose_g < s_high.dose_g * 4 / 3


SC_CHOICE = {"target_trough_g_per_l": "8", "regimen": "sc1", "product": "hizentra", "deficiency": "primary"}


def test_it_makes_no_sc_suggestion_until_the_site_sets_ka(client, setup):
    prescriber, patient = setup
    client.force_login(prescriber)

    response = client.get(reverse("outcomes:pk", args=[patient.pk]), SC_CHOICE)

    assert response.status_code == 200 and response.context["report"] is None
    text = re.sub(r"\s+", " ", unescape(response.content.decode()))
    assert "needs the site's SC absorption rate constant ka" in text
    assert "sets it on the site settings page" in text


def test_it_suggests_sc_with_the_sites_ka(client, setup):
    prescriber, patient = setup
    settings = SiteSettings.load()
    settings.sc_ka_per_day = Decimal("0.8")
    settings.save()
    client.force_login(prescriber)

    response = client.get(reverse("outcomes:pk", args=[patient.pk]), SC_CHOICE)

    suggestion = response.context["report"].suggestion
    assert suggestion.route is Route.SC and suggestion.interval_weeks == 1 and suggestion.vials is not None
    text = re.sub(r"\s+", " ", unescape(response.content.decode()))
    assert "0.8 per day, the site's setting (not in the reference data)" in text


def test_it_refuses_a_bad_target_or_a_product_without_that_route(client, setup):
    prescriber, patient = setup
    client.force_login(prescriber)
    url = reverse("outcomes:pk", args=[patient.pk])

    bad = client.get(url, {"target_trough_g_per_l": "60", "regimen": "iv4", "deficiency": "primary"})
    wrong_route = client.get(
        url, {"target_trough_g_per_l": "7", "regimen": "sc1", "product": "privigen", "deficiency": "primary"}
    )

    assert bad.status_code == 400 and "between 2 and 20" in bad.content.decode()
    assert wrong_route.status_code == 400 and "is not given SC" in wrong_route.content.decode()


def test_it_says_what_is_missing_for_a_patient_without_data(client, make_user, make_patient):
    prescriber = make_user("Prescriber")
    patient = make_patient(prescriber)
    client.force_login(prescriber)

    response = client.get(reverse("outcomes:pk", args=[patient.pk]))

    assert response.status_code == 200
    text = re.sub(r"\s+", " ", response.content.decode())
    assert "no dispensed immunoglobulin order" in text and "no IgG level on file" in text
    assert response.context["report"] is None and response.context["chart"] is None


def test_it_draws_levels_without_a_fit_when_there_are_no_doses(client, make_user, make_patient):
    from decimal import Decimal

    from ivig.patients.lab_actions import check_lab_value, record_lab_results

    nurse = make_user("Nurse")
    patient = make_patient(nurse)
    today = timezone.localdate()
    entry = check_lab_value(patient=patient, kind="igg", value=Decimal("450"), unit="mg/dL", taken_on=today)
    record_lab_results(by=nurse, entries=[entry])
    client.force_login(nurse)

    response = client.get(reverse("outcomes:pk", args=[patient.pk]))

    assert response.status_code == 200 and response.context["report"] is None
    assert 'id="chart-igg"' in response.content.decode()
    assert "no dispensed immunoglobulin order" in response.content.decode()


def _findings(response):
    return [(str(f.severity), f.code) for f in response.context["report"].findings]


@pytest.mark.parametrize(
    ("target", "side"),
    [("4", "below"), ("12", "above")],
)
def test_it_shows_a_caution_when_the_models_dose_is_outside_the_pi_range(client, setup, target, side):
    prescriber, patient = setup
    client.force_login(prescriber)

    response = client.get(
        reverse("outcomes:pk", args=[patient.pk]),
        {"target_trough_g_per_l": target, "regimen": "iv4", "product": "privigen", "deficiency": "primary"},
    )

    assert response.status_code == 200
    assert ("caution", "pk-dose-outside-range") in _findings(response)
    text = re.sub(r"\s+", " ", unescape(response.content.decode()))
    assert f"the model's dose for a {target} g/L trough" in text
    assert (
        f"is {side} the range for Primary immunodeficiency, replacement with Privigen (0.2-0.8 g/kg a dose)"
        in text
    )
    assert "check the fit and the levels before using it" in text
    assert '<span class="tag tag-caution">caution</span>' in text
    assert "The model's dose: check it before use" in text and "Suggested regimen" not in text
    assert "Checked per kg of 70.0 kg (actual weight" in text


def test_it_marks_a_suggestion_within_the_range_as_checked(client, setup):
    prescriber, patient = setup
    client.force_login(prescriber)

    response = client.get(
        reverse("outcomes:pk", args=[patient.pk]),
        {"target_trough_g_per_l": "7", "regimen": "iv4", "product": "privigen", "deficiency": "primary"},
    )

    assert _findings(response) == [("info", "pk-dose-within-range")]
    text = re.sub(r"\s+", " ", unescape(response.content.decode()))
    assert "Suggested regimen" in text and "is within the range for Primary immunodeficiency" in text


def test_it_checks_a_secondary_deficiency_against_the_sid_range(client, setup):
    prescriber, patient = setup
    client.force_login(prescriber)

    response = client.get(
        reverse("outcomes:pk", args=[patient.pk]),
        {"target_trough_g_per_l": "9", "regimen": "iv4", "product": "privigen", "deficiency": "secondary"},
    )

    text = re.sub(r"\s+", " ", unescape(response.content.decode()))
    assert "Secondary immunodeficiency (incl. CLL)" in text


def test_it_shows_a_stop_when_the_models_dose_is_above_a_hard_limit(client, setup):
    prescriber, patient = setup
    client.force_login(prescriber)

    response = client.get(
        reverse("outcomes:pk", args=[patient.pk]),
        {"target_trough_g_per_l": "20", "regimen": "iv3", "product": "privigen", "deficiency": "primary"},
    )

    assert any(severity == "stop" for severity, _code in _findings(response))
    text = re.sub(r"\s+", " ", unescape(response.content.decode()))
    assert '<span class="tag tag-stop">stop</span>' in text and "above the hard limit" in text

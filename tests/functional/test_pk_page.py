"""The PK page in a browser: a patient with 3 IgG levels and a year of orders gets the chart and a dose."""

from __future__ import annotations

from decimal import Decimal

from playwright.sync_api import expect

from ivig.siteconfig.models import SiteSettings


def test_it_draws_the_igg_chart_and_suggests_a_regimen(
    live_server, page, sign_in, make_user, make_pk_patient
):
    prescriber = make_user("Prescriber", username="dr-okafor")
    patient = make_pk_patient(prescriber, make_user("Pharmacist"))

    sign_in("dr-okafor")
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    page.get_by_role("link", name="IgG levels and dosing").click()

    chart = page.locator("svg#chart-igg")
    expect(chart).to_be_visible()
    expect(chart.locator("path.chart-band")).to_have_count(1)
    expect(chart.locator("path.chart-curve")).to_have_count(1)
    expect(chart.locator("circle.chart-point")).to_have_count(3)
    expect(chart.locator("path.chart-event")).to_have_count(13)
    expect(page.get_by_test_id("pk-suggestion")).to_contain_text("IV every 4 weeks")
    box = chart.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 100

    def ask_for_sc() -> None:
        page.get_by_label("Target trough (g/L)").fill("8")
        page.get_by_label("Regimen", exact=False).and_(page.locator("select")).select_option("sc1")
        page.get_by_label("Product (vial rounding)").select_option("hizentra")
        page.get_by_role("button", name="Calculate").click()

    # No SC absorption rate in the reference: nothing is predicted until the site sets its ka.
    ask_for_sc()
    expect(page.get_by_test_id("pk-error")).to_contain_text("SC absorption rate constant ka")
    settings = SiteSettings.load()
    settings.sc_ka_per_day = Decimal("0.8")
    settings.save()
    ask_for_sc()
    expect(page.get_by_test_id("pk-suggestion")).to_contain_text("SC every 1 week")
    expect(page.get_by_test_id("pk-suggestion")).to_contain_text("trough of 8.0 g/L")
    expect(page.locator("svg#chart-igg line.chart-target")).to_have_count(1)

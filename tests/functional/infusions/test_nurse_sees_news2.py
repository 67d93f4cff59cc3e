"""Issue 17 item 7 in the browser: an adult's 38.0 °C with a pulse of 112 shows a NEWS2 score and its response
band in the vital-signs table and the live panel (no site ranges are set); a child's flowsheet without ranges
says nothing is flagged."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from playwright.sync_api import expect

from ivig.patients.models import Patient
from tests.drivers.infusions import running


def _record(page, clock, temperature, pulse):
    box = page.locator("#vitals")
    box.get_by_label("Time taken").fill(timezone.localtime(clock.now()).strftime("%Y-%m-%dT%H:%M"))
    box.get_by_label("Temperature").fill(temperature)
    box.get_by_label("Unit").select_option("C")
    box.get_by_label("Heart rate").fill(pulse)
    box.get_by_role("button", name="Record vital signs").click()
    expect(page.locator(".messages")).to_contain_text("Vital signs recorded")


def test_it_shows_news2_for_an_adult_with_38_0_c_and_a_pulse_of_112(
    live_server, page, sign_in, dispensed_order, fixed_clock
):
    d = dispensed_order
    Patient.objects.filter(pk=d.order.patient_id).update(date_of_birth=date(date.today().year - 45, 3, 2))
    session = running(d)
    sign_in("rn-ade")
    page.goto(f"{live_server.url}/infusions/{session.pk}/")
    expect(page.get_by_test_id("no-vital-ranges")).to_have_count(0)

    _record(page, fixed_clock, "38.0", "112")

    row = page.locator(".vitals-table tbody tr").last
    expect(row.get_by_test_id("news2-score")).to_have_text("NEWS2 2 (partial)")
    expect(row.get_by_test_id("news2-band")).to_have_text("at least: A registered nurse assesses")
    expect(row).to_contain_text("not measured: respiration rate, SpO2, air or oxygen")
    panel = page.get_by_test_id("news2-latest")
    expect(panel).to_contain_text("2 (partial)")
    expect(panel).to_contain_text("A registered nurse assesses")
    page.goto(f"{live_server.url}/infusions/{session.pk}/record/")
    expect(page.locator(".vitals-table tbody tr").last.get_by_test_id("news2-score")).to_have_text(
        "NEWS2 2 (partial)"
    )


def test_it_tells_the_nurse_a_child_without_ranges_is_not_flagged(
    live_server, page, sign_in, dispensed_order, fixed_clock
):
    session = running(dispensed_order)  # an 8-year-old
    sign_in("rn-ade")
    page.goto(f"{live_server.url}/infusions/{session.pk}/")
    expect(page.get_by_test_id("no-vital-ranges")).to_contain_text(
        "No vital-sign ranges for this age: nothing is flagged; the site must set them."
    )
    _record(page, fixed_clock, "38.0", "112")
    expect(page.locator(".vitals-table tbody tr").last.get_by_test_id("news2-score")).to_have_count(0)
    expect(page.get_by_test_id("news2-latest")).to_contain_text("not validated in children")

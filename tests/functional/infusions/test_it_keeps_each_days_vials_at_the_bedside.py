"""Issue 17 item 2 in the browser: on day 1 an extra 20 g vial is a stop that shows the day's need, and the
flowsheet says every vial is scanned only once the day's own set is complete."""

from __future__ import annotations

from playwright.sync_api import expect

from ivig.infusions import actions
from tests.drivers.infusions import GTIN_5, GTIN_20, barcode, checked_in

DONE = "Every vial for today is scanned."


def _scan(page, text):
    page.locator("#scan").get_by_label("Scan the vial").fill(text)
    page.locator("#scan").get_by_role("button", name="Check vial").click()


def test_it_refuses_a_second_20_g_vial_on_day_1_and_completes_with_the_5_g(
    live_server, page, sign_in, dispensed_order, fixed_clock
):
    d = dispensed_order
    session = checked_in(d)
    actions.confirm_checklist(by=d.nurse, session=session, expected_version=session.version)
    sign_in("rn-ade")
    page.goto(f"{live_server.url}/infusions/{session.pk}/")
    scan = page.locator("#scan")

    _scan(page, barcode(GTIN_20, d.g20.expiry_date, d.g20.lot_number))
    expect(scan).to_contain_text("Still to scan: 1 × 5 g")
    expect(scan).not_to_contain_text(DONE)

    _scan(page, barcode(GTIN_20, d.g20.expiry_date, d.g20.lot_number))  # day 2's vial
    errors = page.locator("#scan .errors")
    expect(errors).to_contain_text("STOP: do not use this vial. Not for today")
    expect(errors).to_contain_text("Day 1 needs 1 × 20 g + 1 × 5 g; already scanned: 1 × 20 g.")
    expect(scan).to_contain_text("Still to scan: 1 × 5 g")
    expect(scan).not_to_contain_text(DONE)

    _scan(page, barcode(GTIN_5, d.f05.expiry_date, d.f05.lot_number))
    expect(scan).to_contain_text(DONE)
    expect(page.locator("#start")).to_be_visible()

"""Issue 17: on a 360 px phone a prescriber's home page shows the order a nurse sent back, with the nurse's
reason and a link to it; the order page says no day starts until a new version is signed."""

from __future__ import annotations

from playwright.sync_api import expect

from ivig.infusions import actions
from tests.drivers.infusions import checked_in


def test_it_shows_a_prescriber_the_sent_back_order_on_a_phone(
    live_server, page, sign_in, dispensed_order, fixed_clock
):
    d = dispensed_order
    session = checked_in(d, weight="27.6", weight_confirmed=True)  # 10.4 % above the order's 25 kg
    actions.confirm_checklist(by=d.nurse, session=session, expected_version=session.version)
    page.set_viewport_size({"width": 360, "height": 740})

    sign_in("dr-okafor")
    page.goto(f"{live_server.url}/")
    panel = page.get_by_test_id("panel-sent_back")
    expect(panel.get_by_test_id("count-sent_back")).to_have_text("1")
    expect(panel).to_contain_text("10.4 % from the order's 25.00 kg")
    link = panel.get_by_role("link", name=d.order.reference)
    expect(link).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    link.click()
    expect(page.get_by_test_id("sent-back")).to_contain_text("No day starts until a new version is signed")
    expect(page.get_by_role("button", name="Change (new version)")).to_be_visible()

"""Issue 17 item 8: on a 360 px phone the flowsheet fits the screen at every stage and the nurse's next action
(confirm the checklist, start the pump, record vital signs, pause, end) can be reached without sideways
scrolling."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.drivers.infusions import GTIN_5, GTIN_20, Pump, checked_in, confirmed, scan


def _fits_with(page, url, *buttons):
    page.goto(url)
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"{url} is {scroll} px wide on a {inner} px phone"
    for scope, name in buttons:
        area = page.locator(scope)
        # A button behind a disclosure (pause) is reached through its summary.
        button = area if name is None else area.get_by_role("button", name=name, exact=True).first
        button.scroll_into_view_if_needed()
        expect(button).to_be_in_viewport()
        box = button.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= inner, (name, box)


def test_the_nurse_reaches_the_next_action_at_each_stage_on_a_phone(
    live_server, page, sign_in, dispensed_order, fixed_clock
):
    d = dispensed_order
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in("rn-ade")

    session = checked_in(d)
    url = f"{live_server.url}/infusions/{session.pk}/"
    _fits_with(page, url, ("main", "Confirm checklist"))

    session = confirmed(d, session)
    for gtin, lot in ((GTIN_20, d.g20), (GTIN_5, d.f05)):
        assert scan(d, session, gtin, lot).accepted
    _fits_with(page, url, ("#start", "Start infusion"))

    Pump.of(d, session).start()
    _fits_with(
        page, url, ("#vitals", "Record vital signs"), ("#pause > summary", None), ("#end", "End infusion")
    )

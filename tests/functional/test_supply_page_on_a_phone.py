"""Issue 20: on a 360 px phone the pharmacist opens Supply from the navigation, declares Amber with a reason,
sees the phase and the patients it affects, and the page never scrolls sideways; on paper the declaration form
is left out."""

from __future__ import annotations

from playwright.sync_api import expect

from ivig.siteconfig.shortage_actions import assign_category

WHY = "Supplier cut our allocation by half for six weeks"


def _fits(page) -> None:
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"{page.url} is {scroll} px wide in a {inner} px window"


def test_it_declares_amber_and_lists_patients_on_a_phone(live_server, page, sign_in, make_user, make_order):
    admin, prescriber = make_user("Admin"), make_user("Prescriber")
    make_user("Pharmacist", "ph-supply")
    assign_category(by=admin, indication="itp", category="blue", source="site demo, not a national list")
    order = make_order(prescriber)
    page.set_viewport_size({"width": 360, "height": 740})

    sign_in("ph-supply")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Supply").click()
    expect(page.get_by_test_id("phase")).to_have_text("Green")
    _fits(page)
    page.get_by_text("Declare the shortage phase").click()
    page.locator("#id_phase").select_option("amber")
    page.locator("#id_reason").fill(WHY)
    page.get_by_role("button", name="Declare").click()
    expect(page.get_by_test_id("phase")).to_have_text("Amber")
    affected = page.get_by_test_id("affected")
    expect(affected).to_contain_text(order.patient.mrn)
    expect(affected).to_contain_text("Needs approval")
    _fits(page)

    page.emulate_media(media="print")
    expect(page.get_by_text("Declare the shortage phase")).to_be_hidden()
    expect(page.get_by_test_id("days-of-stock")).to_be_visible()

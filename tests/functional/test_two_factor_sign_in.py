"""Issue 22 item 4: on a 360 px phone a pharmacist sets up an authenticator app, then signs in with a code."""

from __future__ import annotations

import re

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.integration.accounts.two_factor_helpers import app_code


def _fits(page):
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"{page.url}: {scroll} px wide on a {inner} px screen"


def test_it_enrols_an_authenticator_app_and_signs_in_with_a_code_on_a_phone(
    live_server, page, sign_in, make_user, settings
):
    settings.IVIG_2FA_ROLES = ["Pharmacist"]
    make_user("Pharmacist")
    page.set_viewport_size({"width": 360, "height": 740})

    sign_in("pharmacist")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    expect(page.locator("#secret")).to_have_text(re.compile(r"^[A-Z2-7]{4}( [A-Z2-7]{4})+$"))
    _fits(page)
    device = TOTPDevice.objects.get(user__username="pharmacist")
    page.get_by_label("Code from the app").fill(app_code(device))
    page.get_by_role("button", name="Turn on").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor sign-in is on")
    expect(page.get_by_role("list", name="Recovery codes").get_by_role("listitem")).to_have_count(10)
    _fits(page)
    page.get_by_role("link", name="I have saved them: continue").click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()

    page.get_by_role("button", name="Sign out").first.click()
    sign_in("pharmacist")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    _fits(page)
    page.get_by_label("Code").fill(app_code(device))
    page.get_by_role("button", name="Verify").click()

    expect(page.get_by_role("heading", level=1)).not_to_have_text("Enter your code")
    expect(page).to_have_url(f"{live_server.url}/")

"""Browser flows (Playwright pages): sign in, and the new-order form as a prescriber fills it."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.factories.accounts import PASSWORD

ITP_PLATELETS_9 = "Newly diagnosed ITP, platelets 9, wet purpura"


def sign_in(page: Any, base_url: str, username: str, password: str = PASSWORD) -> Any:
    """Sign in through the login page; returns the page."""
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    return page


def fill_itp_order(page: Any, today: date) -> None:
    """Fill the open new-order form: Privigen 1 g/kg x 2 days for ITP, first infusion, platelets 9 today,
    paracetamol before; the weight field already holds the patient's 25 kg."""
    from playwright.sync_api import expect

    page.get_by_label("Indication and regimen").select_option("itp")
    page.get_by_label("Product", exact=True).select_option("privigen")
    page.get_by_label("Dose (g/kg)").fill("1")
    page.get_by_label("Days", exact=True).fill("2")
    expect(page.get_by_label("Weight today")).to_have_value("25.00")
    page.get_by_label("First immunoglobulin infusion").check()
    page.get_by_label("Platelets (x10^9/L)").fill("9")
    page.get_by_label("Platelets taken on").fill(today.isoformat())
    page.get_by_label("Premedication").fill("Paracetamol 375 mg PO 30 min before")
    page.get_by_label("Clinical justification").fill(ITP_PLATELETS_9)

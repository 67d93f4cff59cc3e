"""Issue 17: a prescriber signs an order, goes back and presses "Sign order" again: one order stays signed.

Depending on what the browser restores on going back, the second press either carries the first page's
one-time token (it leads to the signed order with a message) or a fresh page's (the order form then asks
about the patient's other active order, the one just signed). Chromium today fetches a fresh page."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import expect

from ivig.audit.once import ALREADY
from ivig.orders.models import TherapyOrder


def test_back_and_resubmit_of_the_signed_order_signs_one_order(
    live_server, page, sign_in, make_user, make_patient
):
    prescriber = make_user("Prescriber", "dr-okafor")
    adult = make_patient(
        prescriber, mrn="RB777017", given_name="Ana", family_name="Silva", weight_kg="70", height_cm="170"
    )
    sign_in("dr-okafor")
    page.goto(f"{live_server.url}/orders/new/{adult.pk}/")
    page.get_by_label("Indication and regimen").select_option("itp")
    page.get_by_label("Product", exact=True).select_option("privigen")
    page.get_by_label("Platelets (x10^9/L)").fill("9")
    page.get_by_label("Platelets taken on").fill(date.today().isoformat())
    page.get_by_label("Clinical justification").fill("ITP with wet purpura, platelets 9")
    page.get_by_label("Days", exact=True).fill("2")
    page.wait_for_load_state("networkidle")
    for box in page.get_by_label("Your reason for going on").all():
        box.fill("Agreed with haematology: the standard course for this patient")
    page.get_by_role("button", name="Sign order").click()
    expect(page.get_by_test_id("order-status")).to_have_text("Signed")
    order = TherapyOrder.objects.get(patient=adult)

    page.go_back()
    page.get_by_role("button", name="Sign order").click()

    told = page.get_by_text(ALREADY).or_(page.get_by_test_id("overlap"))
    expect(told).to_be_visible()
    expect(told).to_contain_text(order.reference if page.get_by_test_id("overlap").count() else ALREADY)
    assert TherapyOrder.objects.filter(patient=adult).count() == 1
    assert TherapyOrder.objects.get(patient=adult).status == TherapyOrder.Status.SIGNED

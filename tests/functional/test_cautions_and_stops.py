"""Issue 16: on a 360 px phone the prescriber sees a stop at the dose field and cannot sign past it; a
caution asks for a reason at the field ("x" is refused, a real reason signs); the pharmacist sees the
caution with the reason and cannot verify until it is ticked. The sign button stays in view throughout."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import expect

from ivig.orders.models import TherapyOrder

REASON = "Refractory ITP after steroids: haematology advised one larger dose"


def test_it_stops_a_dose_above_the_ceiling_and_asks_a_reason_for_a_caution(
    live_server, page, sign_in, make_user, make_patient
):
    prescriber = make_user("Prescriber", "dr-okafor")
    make_user("Pharmacist", "ph-lindqvist")
    today = date.today()
    adult = make_patient(
        prescriber, mrn="RB777016", given_name="Ana", family_name="Silva", weight_kg="70", height_cm="170"
    )
    page.set_viewport_size({"width": 360, "height": 740})

    sign_in("dr-okafor")
    page.goto(f"{live_server.url}/orders/new/{adult.pk}/")
    page.get_by_label("Indication and regimen").select_option("itp")
    page.get_by_label("Product", exact=True).select_option("privigen")
    page.get_by_label("Platelets (x10^9/L)").fill("9")
    page.get_by_label("Platelets taken on").fill(today.isoformat())
    page.get_by_label("Clinical justification").fill("ITP with wet purpura, platelets 9")
    page.get_by_label("Dose (g/kg)").fill("5")
    page.get_by_label("Days", exact=True).fill("2")

    # A stop, at the dose field; the sign button stays in view; signing is refused with the limit's source.
    stop = page.locator("#findings-dose").get_by_test_id("stop-dose").first
    expect(stop).to_contain_text("above the hard limit of 2 g/kg a day")
    sign = page.get_by_role("button", name="Sign order")
    expect(sign).to_be_in_viewport()
    sign.click()
    expect(page.locator(".errors").first).to_contain_text("No reason can override this")
    expect(page.locator(".errors").first).to_contain_text("highest labelled doses")
    assert not TherapyOrder.objects.filter(status="signed").exists()

    # Within the ceiling but outside the regimen: a caution with a reason box at the dose field.
    page.get_by_label("Dose (g/kg)").fill("1.5")
    page.get_by_label("Days", exact=True).fill("1")
    caution = page.locator("#findings-dose").get_by_test_id("caution-dose-outside-range")
    expect(caution).to_contain_text("outside Immune thrombocytopenia")
    expect(page.locator("#findings-dose").get_by_test_id("stop-dose")).to_have_count(0)
    caution.get_by_label("Your reason for going on").fill("x")
    expect(page.get_by_role("button", name="Sign order")).to_be_in_viewport()
    page.get_by_role("button", name="Sign order").click()
    expect(page.locator(".errors").first).to_contain_text("'x' is not a reason")
    page.locator("#findings-dose").get_by_label("Your reason for going on").fill(REASON)
    page.get_by_role("button", name="Sign order").click()
    expect(page.get_by_test_id("order-status")).to_have_text("Signed")
    order = TherapyOrder.objects.get(patient=adult)
    assert order.caution_reasons == {"dose-outside-range": REASON}
    page.get_by_role("button", name="Sign out").click()

    # The pharmacist sees the caution with the prescriber's reason and must tick it.
    sign_in("ph-lindqvist")
    page.goto(f"{live_server.url}/orders/{order.pk}/verify/")
    expect(page.get_by_test_id("reason-dose-outside-range")).to_have_text(REASON)
    page.get_by_label("Weight you checked (kg)").fill("70")
    page.get_by_label("I have recalculated the dose and the vials and they agree").check()
    page.get_by_role("button", name="Verify").click()
    expect(page.locator(".errors").first).to_contain_text("Acknowledge each caution")
    page.get_by_label("I acknowledge this caution and the prescriber's reason").check()
    page.get_by_label("I have recalculated the dose and the vials and they agree").check()
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_test_id("order-status")).to_have_text("Verified")
    expect(page.get_by_test_id("acknowledged")).to_contain_text("Acknowledged by")

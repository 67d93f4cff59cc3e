"""Issue 4 acceptance: a prescriber writes an ITP order for a 25 kg child and sees the plan; a different
pharmacist verifies it and dispenses from two lots; the order sheet renders as PDF; every step is audited."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import expect

from ivig.audit.models import AuditEvent
from ivig.orders.models import TherapyOrder
from tests.drivers.browser import fill_itp_order


def test_it_takes_an_itp_order_from_prescription_to_dispensing(
    live_server, page, sign_in, make_user, make_patient, make_lot
):
    prescriber, pharmacist = make_user("Prescriber", "dr-okafor"), make_user("Pharmacist", "ph-lindqvist")
    today = date.today()
    child = make_patient(
        prescriber,
        mrn="RB777001",
        given_name="Mia",
        family_name="Chen",
        date_of_birth=date(today.year - 7, 3, 2),
        weight_kg="25",
        height_cm=None,
    )
    make_lot(pharmacist, lot_number="SOON20", vials=1, vial_size_g="20", expiry_date=date(2090, 1, 31))
    make_lot(pharmacist, lot_number="LATE20", vials=6, vial_size_g="20")
    make_lot(pharmacist, lot_number="FIVE05", vials=6, vial_size_g="5")

    # The prescriber writes the order and watches the plan appear as she types.
    sign_in("dr-okafor")
    page.goto(f"{live_server.url}/patients/{child.pk}/")
    page.get_by_role("link", name="New order").click()
    fill_itp_order(page, today)
    preview = page.locator("#plan-preview")
    expect(preview).to_contain_text("25.0 kg")
    expect(preview).to_contain_text("Day 2: 25.0 g")
    expect(preview).to_contain_text("1 × 20.0 g + 1 × 5.0 g")
    expect(preview.locator(".rate-table").first).to_contain_text("mL/h")
    page.get_by_role("button", name="Sign order").click()
    expect(page.get_by_test_id("order-status")).to_have_text("Signed")
    order = TherapyOrder.objects.get(patient=child)
    expect(page.get_by_role("link", name="Verify this order")).to_have_count(0)  # not for her own order
    page.get_by_role("button", name="Sign out").click()

    # A different pharmacist checks it independently and dispenses first-expiry-first-out from two lots.
    sign_in("ph-lindqvist")
    page.goto(f"{live_server.url}/orders/{order.pk}/")
    page.get_by_role("link", name="Verify this order").click()
    page.get_by_label("Weight you checked (kg)").fill("25")
    page.get_by_label("I have recalculated the dose and the vials and they agree").check()
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_test_id("order-status")).to_have_text("Verified")
    expect(page.get_by_test_id("verified-by")).to_contain_text("Test Pharmacist")
    page.get_by_role("link", name="Dispense").click()
    expect(page.get_by_label("Vials from lot SOON20")).to_have_value("1")
    expect(page.get_by_label("Vials from lot LATE20")).to_have_value("1")
    expect(page.get_by_label("Vials from lot FIVE05")).to_have_value("2")
    page.get_by_role("button", name="Dispense and take from stock").click()
    expect(page.get_by_test_id("order-status")).to_have_text("Dispensed")
    expect(page.locator("main")).to_contain_text("SOON20")
    expect(page.locator("main")).to_contain_text("LATE20")

    # The order sheet prints and renders as a PDF.
    page.get_by_role("link", name="Order sheet").click()
    expect(page.locator("main")).to_contain_text("RB777001")
    pdf = page.request.get(f"{live_server.url}/orders/{order.pk}/sheet.pdf")
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    # Every step left an audit row, by the person who took it.
    events = AuditEvent.objects.filter(target_type="orders.TherapyOrder", target_id=str(order.pk))
    steps = {(event.action, event.actor_username) for event in events}
    assert {
        ("order.draft_save", "dr-okafor"),
        ("order.sign", "dr-okafor"),
        ("order.verify", "ph-lindqvist"),
        ("order.dispense", "ph-lindqvist"),
    } <= steps
    stock = AuditEvent.objects.filter(action="stock.dispense", summary__contains=order.reference)
    assert stock.count() == 3 and set(stock.values_list("actor_username", flat=True)) == {"ph-lindqvist"}

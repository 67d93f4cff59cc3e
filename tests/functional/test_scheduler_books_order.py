"""A scheduler books a signed order from the list and sees it on the centre's day view."""

from __future__ import annotations

from playwright.sync_api import expect


def test_it_lets_a_scheduler_book_an_order_and_see_it_on_the_day(
    live_server, sign_in, make_user, make_order, centre
):
    order = make_order(make_user("Prescriber"))

    page = sign_in("scheduler")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Schedule").click()
    page.get_by_role("link", name="Book an order").click()
    page.get_by_role("link", name=f"Book {order.reference}").click()
    page.get_by_label("From (first course day)").fill(centre.day.isoformat())
    page.get_by_label("Preferred start").fill("09:00")
    page.get_by_label("Needs a paediatric chair").check()
    page.get_by_role("button", name="Book", exact=True).click()

    expect(page.locator(".messages")).to_contain_text("Booked")
    expect(page.get_by_role("heading", level=1)).to_contain_text(centre.day.strftime("%Y"))
    expect(page.get_by_test_id("timeline").locator("rect.appt")).to_have_count(1)
    expect(page.get_by_test_id("appointments")).to_contain_text("Chair 1")
    expect(page.get_by_test_id("appointments")).to_contain_text(f"{order.reference} day 1")

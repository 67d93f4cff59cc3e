"""A scheduler books a home visit, plans the home day as routes, cancels a visit and re-optimises; the nurse's
route fits a 360 px phone."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.functional.axe import serious_violations


def test_it_books_a_home_day_cancels_a_visit_and_re_optimises(
    live_server, sign_in, home_team, make_patient, make_order
):
    from ivig.patients.models import Patient
    from tests.plugins.home_routes import MAINTENANCE

    patient = make_patient(home_team.prescriber, family_name="Evans", mrn="H00099")
    Patient.objects.filter(pk=patient.pk).update(home_latitude="45.505", home_longitude="-73.59")
    order = make_order(home_team.prescriber, patient=patient, **MAINTENANCE)
    cancelled = home_team.visits[1].patient
    day = home_team.day.isoformat()

    page = sign_in("scheduler")
    # Book the new order as a home visit.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Schedule").click()
    page.get_by_role("link", name="Book an order").click()
    page.get_by_role("link", name=f"Book {order.reference}").click()
    page.get_by_label("Home visit with a home-infusion nurse").check()
    page.get_by_label("From (first course day)").fill(day)
    page.get_by_label("Preferred start").fill("15:00")
    page.get_by_label("Nurse", exact=True).select_option(label="Nadia Berg")
    page.get_by_role("button", name="Book", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Booked")

    # Plan the day as routes.
    page.get_by_role("link", name="Home routes").click()
    expect(page.get_by_test_id("visits").locator("li")).to_have_count(5)
    page.get_by_test_id("optimise").click()
    expect(page.locator(".messages")).to_contain_text("Home visits planned: 5 on 2 route(s).")
    expect(page.get_by_test_id("route")).to_have_count(2)
    expect(page.get_by_test_id("stale")).to_have_count(0)

    # Cancel a visit: the plan is out of date until the day is optimised again.
    page.get_by_test_id("visits").get_by_role("link", name=str(cancelled)).click()
    page.get_by_label("Reason").fill("Family away this week")
    page.get_by_role("button", name="Cancel the appointment").click()
    expect(page.locator(".messages")).to_contain_text("Appointment cancelled.")
    page.goto(f"{live_server.url}/schedule/home/day/?date={day}")
    expect(page.get_by_test_id("stale")).to_be_visible()
    page.get_by_test_id("optimise").click()
    expect(page.locator(".messages")).to_contain_text("Home visits planned: 4 on")
    expect(page.get_by_test_id("stale")).to_have_count(0)
    routes = page.locator("section", has=page.get_by_role("heading", name="Routes"))
    expect(routes).not_to_contain_text(cancelled.family_name.upper())
    expect(routes).to_contain_text("EVANS")

    # The home day and the nurse's route on a phone: nothing wider than the screen.
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert serious_violations(page) == []
    page.get_by_test_id("route").first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Route:")
    expect(page.get_by_test_id("sketch")).to_be_visible()
    assert page.get_by_test_id("stop").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert serious_violations(page) == []

    # On paper: the list and the sketch, no buttons.
    page.emulate_media(media="print")
    expect(page.get_by_role("link", name="Home day")).to_be_hidden()
    expect(page.get_by_test_id("sketch")).to_be_visible()
    expect(page.get_by_test_id("stop").first).to_be_visible()


def test_it_fits_the_travel_matrix_page_on_a_phone(live_server, sign_in, home_team):
    page = sign_in("scheduler")
    page.set_viewport_size({"width": 360, "height": 740})

    page.goto(f"{live_server.url}/schedule/home/travel/")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Travel times")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

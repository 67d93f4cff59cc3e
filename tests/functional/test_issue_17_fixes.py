"""Issue 17 item 9 in the browser: one short check per fix (past days, the patient's header, the drip time,
the site's temperature unit, one report for a reaction told twice, audit labels, the favicon)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from playwright.sync_api import expect

from ivig import clock
from ivig.followup.actions import start_follow_up
from ivig.infusions.models import InfusionSession
from ivig.siteconfig.models import SiteSettings
from tests.drivers.infusions import checked_in
from tests.drivers.scheduling import past_appointment


def test_it_opens_yesterdays_schedule_read_only(live_server, sign_in, make_user, make_order, centre):
    booked = past_appointment(centre, make_order(make_user("Prescriber")))

    page = sign_in("scheduler")
    page.goto(f"{live_server.url}/schedule/?date={date.today():%Y-%m-%d}")
    expect(page.get_by_role("link", name="Book an order")).to_be_visible()
    page.get_by_role("link", name="Previous day").click()

    expect(page.get_by_test_id("past-day")).to_contain_text("This day has passed: its schedule is read-only.")
    expect(page.get_by_test_id("appointments")).to_contain_text(str(booked.patient))
    expect(page.get_by_role("link", name="Book an order")).to_have_count(0)
    expect(page.get_by_role("link", name="Optimise the day")).to_have_count(0)
    page.get_by_test_id("appointments").get_by_role("link").first.click()
    expect(page.get_by_test_id("past-day")).to_contain_text("can no longer be moved or cancelled")


def test_a_patient_sees_no_staff_links_and_a_spanish_header(live_server, sign_in, portal_family):
    portal_family("ana.parent", "Ana")

    page = sign_in("ana.parent")
    header = page.locator("header.site-header")
    expect(header.get_by_role("link", name="My record")).to_be_visible()
    expect(header.get_by_role("link", name="API tokens")).to_have_count(0)
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change").click()

    expect(header.get_by_role("link", name="Mi expediente")).to_be_visible()
    expect(header.get_by_role("button", name="Cerrar sesión")).to_be_visible()
    expect(header).not_to_contain_text("My record")
    expect(header).not_to_contain_text("API tokens")


def test_it_says_the_drip_time_in_hours_and_minutes(
    live_server, sign_in, portal_family, make_dispensed_order
):
    _, (child,) = portal_family("mia.parent", "Mia")
    make_dispensed_order(patient=child)  # 314 min of drip on each of 2 days

    page = sign_in("mia.parent")
    page.goto(f"{live_server.url}/portal/patients/{child.pk}/learn/")

    expect(page.locator("main")).to_contain_text("about 5 h 14 min of drip each day, on 2 days")
    expect(page.locator("main")).not_to_contain_text("314 to 314")
    expect(page.locator("main")).not_to_contain_text("minutes of drip")


def test_the_vitals_form_and_the_diary_start_in_the_sites_unit(
    live_server, page, browser, sign_in, portal_family, dispensed_order, make_dispensed_order
):
    site = SiteSettings.load()
    site.temperature_unit = "C"
    site.save()
    session = checked_in(dispensed_order)
    _, (child,) = portal_family("noor.parent", "Noor")
    follow_up = start_follow_up(
        by=dispensed_order.nurse,
        order=make_dispensed_order(patient=child),
        ended_at=timezone.now() - timedelta(hours=24),
    )

    sign_in("rn-ade")
    page.goto(f"{live_server.url}/infusions/{session.pk}/")
    expect(page.locator("#vitals").get_by_label("Unit")).to_have_value("C")

    family = browser.new_context().new_page()
    family.goto(f"{live_server.url}/accounts/login/")
    family.get_by_label("Username").fill("noor.parent")
    family.get_by_label("Password").fill("correct-horse-battery")
    family.get_by_role("button", name="Sign in").click()
    family.goto(f"{live_server.url}/follow-up/{follow_up.pk}/diary/")
    expect(family.get_by_label("°C")).to_be_checked()
    expect(family.get_by_label("°F")).not_to_be_checked()


def test_a_reaction_on_the_flowsheet_and_in_the_diary_is_one_report(
    live_server, browser, sign_in, flowsheet_reaction, dispensed_order, fixed_clock, quality
):
    # The infusion was yesterday: the clock is set a day back for it, then returns to now for the worklist.
    fixed_clock.set(timezone.now() - timedelta(hours=26))
    reaction = flowsheet_reaction(grade=2)
    ended_at = clock.now()
    InfusionSession.objects.filter(pk=reaction.session.pk).update(
        ended_at=ended_at, ended_by=dispensed_order.nurse
    )
    start_follow_up(by=dispensed_order.nurse, order=reaction.session.order, ended_at=ended_at)
    clock.reset()  # no diary a day later: the nurse calls and hears of the reaction again

    nurse = sign_in("rn-ade")
    nurse.goto(f"{live_server.url}/follow-up/")
    row = nurse.get_by_role("row").filter(has_text=str(reaction.session.order.patient))
    row.get_by_text("Record contact").click()
    row.get_by_label("Outcome").select_option("reaction")
    row.get_by_label("Reaction (if confirmed)").fill("Fever and chills the evening after")
    row.get_by_label("Grade (CTCAE v5.0)").select_option("1")
    row.get_by_role("button", name="Save contact").click()
    expect(nurse.locator(".messages")).to_contain_text("Contact recorded")

    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("qa-reviewer")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/hemovigilance/adverse-events/")
    rows = page.locator("table.data tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Infusion flowsheet and follow-up diary")
    rows.first.get_by_role("link").first.click()
    sources = page.get_by_test_id("sources")
    expect(sources.get_by_role("link")).to_have_count(2)
    expect(sources).to_contain_text("diary grade 1")


def test_the_audit_page_reads_as_words(live_server, sign_in, make_user, make_order):
    make_order(make_user("Prescriber"))
    make_user("Quality")

    page = sign_in("quality")
    page.goto(f"{live_server.url}/audit/")

    actions = page.get_by_test_id("action")
    expect(actions.filter(has_text="Order signed")).not_to_have_count(0)
    # Each row leads with its label; the raw code stays beside it, muted, for searching.
    assert not [text for text in actions.all_inner_texts() if "." in text or "_" in text]


def test_the_favicon_link_resolves_to_an_svg(live_server, sign_in, make_user):
    make_user("Nurse")
    page = sign_in("nurse")

    href = page.locator('link[rel="icon"]').get_attribute("href")
    response = page.request.get(f"{live_server.url}{href}")

    assert response.status == 200
    assert response.headers["content-type"].startswith("image/svg+xml")

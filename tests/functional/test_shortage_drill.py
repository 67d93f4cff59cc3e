"""Issue 20 acceptance, the whole shortage drill: stock falls, the pharmacist declares Amber, the affected
patients appear on the Supply page, two conservation proposals are accepted through the order path (each a
new order version, signed by the prescriber and waiting for approval in Amber), and the grams saved are
reported."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from playwright.sync_api import expect

from ivig.conservation.models import ConservationProposal, Kind
from ivig.inventory.actions import quarantine_lot
from ivig.orders.models import TherapyOrder
from ivig.siteconfig.shortage_actions import assign_category

AMBER_WHY = "Privigen allocation cut by half for six weeks; a lot quarantined"


def _sid_order(make_patient, make_order, prescriber, *, mrn, name, weight, every_weeks):
    today = date.today()
    patient = make_patient(prescriber, mrn=mrn, given_name=name, family_name="Drill", weight_kg=weight)
    return make_order(
        prescriber,
        patient=patient,
        regimen="sid",
        dose_g_per_kg=Decimal("0.4"),
        days=1,
        weight_kg=Decimal(weight),
        height_cm=Decimal("170"),
        repeat_interval_weeks=every_weeks,
        labs={"igg": {"value": "3.9", "taken_on": today.isoformat()}},
        screening={"first_infusion": False, "weeks_since_last_infusion": every_weeks},
        justification="CLL with recurrent infections, IgG 3.9",
    )


def _fits_360(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_it_runs_a_shortage_drill_from_falling_stock_to_grams_saved(
    live_server, page, sign_in, make_user, make_patient, make_order, make_lot
):
    admin = make_user("Admin", "admin-drill")
    pharmacist = make_user("Pharmacist", "ph-steward")
    prescriber = make_user("Prescriber", "dr-haddad")
    assign_category(by=admin, indication="sid", category="blue", source="site demo, not a national list")
    three_weekly = _sid_order(
        make_patient, make_order, prescriber, mrn="SD000001", name="Ana", weight="70", every_weeks=3
    )
    four_weekly = _sid_order(
        make_patient, make_order, prescriber, mrn="SD000002", name="Ben", weight="80", every_weeks=4
    )
    big = make_lot(pharmacist, lot_number="PRIV-BIG", vials=3, vial_size_g="40")
    make_lot(pharmacist, lot_number="PRIV-SMALL", vials=2, vial_size_g="10")

    # The stewardship pharmacist watches the days of stock; then a lot is quarantined and the stock falls.
    sign_in("ph-steward")
    page.goto(f"{live_server.url}/supply/")
    stock = page.get_by_test_id("days-of-stock")
    expect(stock).to_contain_text("140")  # 3 x 40 g + 2 x 10 g usable
    quarantine_lot(by=pharmacist, lot=big, reason="Supplier notice: lot under investigation")
    page.reload()
    expect(stock).not_to_contain_text("140")
    expect(stock.locator("tbody tr").first).to_contain_text("20")

    # The committee agrees: Amber is declared on the Supply page, and the affected patients appear.
    expect(page.get_by_test_id("affected")).to_have_count(0)
    page.locator("summary", has_text="Declare the shortage phase").click()
    page.locator("#id_phase").select_option("amber")
    page.locator("#id_reason").fill(AMBER_WHY)
    page.get_by_role("button", name="Declare").click()
    expect(page.get_by_test_id("phase")).to_have_text("Amber")
    affected = page.get_by_test_id("affected")
    expect(affected).to_contain_text("SD000001")
    expect(affected).to_contain_text("SD000002")
    expect(affected).to_contain_text("Needs approval")

    # From the list, the pharmacist generates each patient's conservation proposals.
    for mrn in ("SD000001", "SD000002"):
        page.goto(f"{live_server.url}/supply/")
        affected.locator("tr", has_text=mrn).get_by_role("link", name="Conservation options").click()
        page.get_by_role("button", name="Generate proposals").click()
        expect(page.get_by_test_id("proposal-lowest_dose")).to_be_visible()
        expect(page.get_by_role("link", name="Review and accept")).to_have_count(0)  # prescribers accept
    expect(page.locator("main")).to_contain_text("g per 12 weeks")
    page.get_by_role("button", name="Sign out").click()

    # The prescriber, on a phone, accepts two of them through the order path.
    page.set_viewport_size({"width": 360, "height": 780})
    sign_in("dr-haddad")
    page.goto(f"{live_server.url}/conservation/patients/{three_weekly.patient.pk}/")
    assert _fits_360(page)
    page.get_by_test_id("proposal-longer_interval").get_by_role("link", name="Review and accept").click()
    expect(page.locator("main")).to_contain_text("every 4 weeks")
    assert _fits_360(page)
    page.get_by_role("button", name="Accept and sign the new version").click()
    expect(page.get_by_test_id("order-status")).to_have_text("Awaiting approval")  # blue in Amber

    page.goto(f"{live_server.url}/conservation/patients/{four_weekly.patient.pk}/")
    page.get_by_test_id("proposal-lowest_dose").get_by_role("link", name="Review and accept").click()
    review_on = page.get_by_label("Review the reduced dose on")
    expect(review_on).to_have_value((date.today() + timedelta(weeks=12)).isoformat())
    page.get_by_role("button", name="Accept and sign the new version").click()
    expect(page.get_by_test_id("order-status")).to_have_text("Awaiting approval")
    page.get_by_role("button", name="Sign out").click()

    accepted = list(ConservationProposal.objects.filter(status="accepted").select_related("result_order"))
    assert {p.kind for p in accepted} == {Kind.LONGER_INTERVAL, Kind.LOWEST_DOSE}
    for proposal in accepted:
        new = proposal.result_order
        assert new.previous_id == proposal.source_order_id and new.prescriber == prescriber
        assert new.status == TherapyOrder.Status.AWAITING_APPROVAL and new.verified_by is None
    saved = sum(p.grams_saved_per_12_weeks for p in accepted)
    assert saved > 0

    # The pharmacist sees the grams saved, by measure, on the conservation list and the Supply page.
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in("ph-steward")
    page.goto(f"{live_server.url}/conservation/")
    expect(page.get_by_test_id("grams-saved")).to_have_text(f"{saved:.1f} g")
    by_kind = page.get_by_test_id("saved-by-kind")
    expect(
        by_kind.locator("tr", has_text="Longer interval between doses").locator("td").nth(1)
    ).not_to_have_text("0.0")
    page.goto(f"{live_server.url}/supply/")
    savings = page.get_by_test_id("savings")
    expect(savings).to_contain_text("Longer interval between doses")
    expect(savings).to_contain_text("Lowest effective dose, with a review")

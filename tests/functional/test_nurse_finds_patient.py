"""A nurse signs in, searches a patient by MRN and opens the chart; the audit page is closed to her."""

from __future__ import annotations

from playwright.sync_api import expect


def test_it_lets_a_nurse_find_a_patient_by_mrn_and_open_the_chart(
    live_server, sign_in, make_user, make_patient
):
    nurse = make_user("Nurse")
    make_patient(nurse, mrn="RB555001", given_name="Maya", family_name="Singh", weight_kg="20.5")
    make_patient(nurse, mrn="RB555002", given_name="Leo", family_name="Nguyen")

    page = sign_in("nurse")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Patients").click()
    page.get_by_label("Search by name or MRN").fill("RB555001")

    results = page.locator("#results")
    expect(results).to_contain_text("RB555001")
    expect(results).not_to_contain_text("RB555002")  # htmx narrowed the list as she typed
    results.get_by_role("link", name="SINGH, Maya").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("SINGH, Maya")
    expect(page.locator("main")).to_contain_text("20.50 kg")


def test_it_gives_a_nurse_403_on_the_audit_page(live_server, sign_in, make_user):
    make_user("Nurse")

    page = sign_in("nurse")
    response = page.goto(f"{live_server.url}/audit/")

    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have access to this page")
    expect(page.get_by_role("navigation", name="Main")).not_to_contain_text("Audit")

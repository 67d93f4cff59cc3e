"""A patient account sees only its own record."""

from __future__ import annotations

from playwright.sync_api import expect

from ivig.patients import actions


def test_it_shows_a_patient_only_their_own_record(live_server, sign_in, make_user, make_patient):
    nurse = make_user("Nurse")
    own = make_patient(nurse, mrn="RB700001", given_name="Grace", family_name="Mensah")
    other = make_patient(nurse, mrn="RB700002", given_name="Omar", family_name="Farouk")
    actions.link_portal_user(by=nurse, patient=own, user=make_user("Patient", username="grace"))

    page = sign_in("grace")

    expect(page.get_by_role("heading", level=1)).to_have_text("MENSAH, Grace")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link")).to_have_text(["My record"])
    response = page.goto(f"{live_server.url}/patients/{other.pk}/")
    assert response is not None and response.status == 404
    expect(page.locator("main")).not_to_contain_text("Farouk")
    response = page.goto(f"{live_server.url}/patients/")
    assert response is not None and response.status == 403


def test_it_works_on_a_phone_screen(live_server, sign_in, make_user, make_patient, page):
    nurse = make_user("Nurse")
    own = make_patient(nurse, mrn="RB700003", given_name="Rosa", family_name="Silva")
    actions.link_portal_user(by=nurse, patient=own, user=make_user("Patient", username="rosa"))
    page.set_viewport_size({"width": 375, "height": 740})

    sign_in("rosa")

    expect(page.get_by_role("heading", level=1)).to_have_text("SILVA, Rosa")
    # Nothing forces sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

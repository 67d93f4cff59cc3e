"""Acceptance (issue 6): a parent joins, reads, logs 102 F at 30 h, is told to call today; nurse sees it"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from ivig.followup.actions import start_follow_up
from ivig.portal.actions import create_invitation
from ivig.siteconfig.models import SiteSettings
from tests.functional.axe import serious_violations

PASSWORD = "a-long-pass-phrase"


def _site() -> None:
    site = SiteSettings.load()
    site.phone_nurse_line = "555-0101"
    site.phone_after_hours = "555-0199"
    site.phone_appointments = "555-0100"
    site.save()


def _fits_a_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_parent_records_a_fever_and_the_nurse_sees_it(
    live_server, page, browser, sign_in, make_user, make_patient, make_dispensed_order
):
    _site()
    nurse = make_user("Nurse")
    child = make_patient(nurse, given_name="Leo", family_name="Okafor")
    other = make_patient(nurse, given_name="Zoe", family_name="Other")
    mine = start_follow_up(
        by=nurse, order=make_dispensed_order(patient=child), ended_at=timezone.now() - timedelta(hours=30)
    )
    theirs = start_follow_up(
        by=nurse, order=make_dispensed_order(patient=other), ended_at=timezone.now() - timedelta(hours=30)
    )
    _, token = create_invitation(by=nurse, patient=child, email="parent@example.org", relationship="parent")
    page.set_viewport_size({"width": 375, "height": 800})

    page.goto(f"{live_server.url}/portal/join/{token}/")
    assert serious_violations(page) == []
    page.get_by_label("Choose a username").fill("leos.mum")
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="Leo Okafor")).to_be_visible()
    assert serious_violations(page) == []

    page.get_by_role("link", name="About immunoglobulin: what to expect, whom to call").click()
    expect(page.get_by_role("heading", name="What reactions can happen?")).to_be_visible()
    expect(page.locator("main")).to_contain_text("555-0101")
    assert serious_violations(page) == [] and _fits_a_phone(page)

    page.goto(f"{live_server.url}/portal/")
    page.get_by_role("link", name="Fill in the diary").click()
    assert serious_violations(page) == [] and _fits_a_phone(page)
    page.get_by_label("Temperature").fill("102")
    page.get_by_label("°F").check()
    page.get_by_role("button", name="Save and see what to do").click()

    expect(page.get_by_role("heading", name="Call the care team today")).to_be_visible()
    expect(page.locator(".triage")).to_contain_text("555-0101")
    expect(page.locator("main")).to_contain_text("Recorded 30 hours after")
    assert serious_violations(page) == [] and _fits_a_phone(page)

    response = page.goto(f"{live_server.url}/follow-up/{theirs.pk}/diary/")
    assert response is not None and response.status == 404
    expect(page.locator("main")).not_to_contain_text("Zoe")

    nurse_page = browser.new_context().new_page()
    nurse_page.goto(f"{live_server.url}/accounts/login/")
    nurse_page.get_by_label("Username").fill("nurse")
    nurse_page.get_by_label("Password").fill("correct-horse-battery")
    nurse_page.get_by_role("button", name="Sign in").click()
    nurse_page.get_by_role("navigation", name="Main").get_by_role("link", name="Follow-up").click()
    row = nurse_page.get_by_role("row").filter(has_text="OKAFOR, Leo")
    expect(row).to_contain_text("Call the care team today")
    expect(row).to_contain_text("102 F")
    expect(row).to_contain_text("30 h")
    assert mine.entries.count() == 1


def test_a_parent_switches_to_spanish(live_server, page, make_user, make_patient, make_dispensed_order):
    nurse = make_user("Nurse")
    child = make_patient(nurse, given_name="Sol", family_name="Rivera")
    start_follow_up(
        by=nurse, order=make_dispensed_order(patient=child), ended_at=timezone.now() - timedelta(hours=50)
    )
    _, token = create_invitation(by=nurse, patient=child, email="papa@example.org", relationship="parent")
    page.goto(f"{live_server.url}/portal/join/{token}/")
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Únase al portal del paciente")
    page.get_by_label("Elija un nombre de usuario").fill("papa.sol")
    page.get_by_label("Elija una contraseña").fill(PASSWORD)
    page.get_by_label("Escriba la contraseña otra vez").fill(PASSWORD)
    page.get_by_role("button", name="Crear mi cuenta").click()
    page.get_by_role("link", name="Llenar el diario").click()
    page.get_by_label("Temperatura").fill("37")
    page.get_by_label("°C").check()
    page.get_by_label("Dificultad para respirar").select_option("1")
    page.get_by_role("button", name="Guardar y ver qué hacer").click()

    expect(page.get_by_role("heading", name="Emergencia: llame al 911 ahora")).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "es"
    assert serious_violations(page) == []


def test_the_axe_check_catches_a_real_violation(live_server, page):
    page.goto(f"{live_server.url}/accounts/login/")
    assert serious_violations(page) == []
    page.evaluate(
        "() => { const i = document.createElement('img'); i.src = 'x.png'; document.body.append(i); }"
    )

    assert any(v.startswith("image-alt") for v in serious_violations(page))

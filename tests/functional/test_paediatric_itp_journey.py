"""Issue 17 "done when": the whole paediatric journey through the UI, on a desktop and on a 360 px phone.

A nurse registers an 8-year-old (25 kg); the prescriber signs ITP 1 g/kg x 2 days of Privigen with a reason
for each caution; a pharmacist verifies (acknowledging each caution) and dispenses; on day 1 the nurse scans
the wristband, fills the checklist, scans the day's vials, starts the pump, records a grade 1 reaction at
15 mL/h (the live panel shows it, a step-up is refused), pauses, settles, restarts on the resume plan, steps
on, ends and discharges after the observation; a parent fills the diary in the portal (Spanish on the phone
run); on day 2 the nurse runs the second day and the order is completed.
The server clock is the test clock (ivig.clock), moved on as time passes.
On the phone every page fits the screen and each step's main button can be scrolled into view.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ivig import clock
from ivig.followup.models import DiaryEntry
from ivig.infusions import pump
from ivig.infusions.models import AdverseEvent, InfusionSession, Reaction
from ivig.orders.models import TherapyOrder
from ivig.patients.models import Patient
from tests.drivers.browser import fill_itp_order
from tests.drivers.infusions import GTIN_5, GTIN_20, barcode

PASSWORD = "a-long-pass-phrase"
CAUTION_REASON = "Newly diagnosed ITP with wet purpura: haematology advised the standard 2-day course"
FAMILY = {
    "en": {
        "username": "Choose a username",
        "password": "Choose a password",
        "again": "Type the password again",
        "join": "Create my account",
        "diary": "Fill in the diary",
        "temperature": "Temperature",
        "save": "Save and see what to do",
        "home_care": "You can look after this at home",
        "recorded": r"Recorded \d+ hours? after the infusion ended",
    },
    "es": {
        "username": "Elija un nombre de usuario",
        "password": "Elija una contraseña",
        "again": "Escriba la contraseña otra vez",
        "join": "Crear mi cuenta",
        "diary": "Llenar el diario",
        "temperature": "Temperatura",
        "save": "Guardar y ver qué hacer",
        "home_care": "Puede cuidarse en casa",
        "recorded": r"Anotado \d+ horas? después de terminar la infusión",
    },
}
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 360, "height": 740}}


class Journey:
    """The page and the checks of every step: on a phone, the page fits and the button can be reached."""

    def __init__(self, page, url, clock, phone):
        self.page, self.url, self.clock, self.phone = page, url, clock, phone
        self.pages_checked = 0

    def fits(self):
        if self.phone:
            scroll, inner = self.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert scroll <= inner, f"{self.page.url} is {scroll} px wide on a {inner} px phone"
            self.pages_checked += 1

    def press(self, button):
        """Click a step's main button; on a phone first check the page fits and the button can be reached."""
        if self.phone:
            self.fits()
            button.scroll_into_view_if_needed()
            expect(button).to_be_visible()
            expect(button).to_be_in_viewport()
            box = button.bounding_box()
            inner = self.page.evaluate("window.innerWidth")
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= inner, box
        button.click()
        self.page.wait_for_load_state()

    def go(self, path):
        self.page.goto(f"{self.url}{path}")
        self.fits()

    def sign_in(self, username):
        self.go("/accounts/login/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill("correct-horse-battery")
        self.press(self.page.get_by_role("button", name="Sign in"))
        self.fits()  # the role's home page

    def sign_out(self):
        self.press(self.page.get_by_role("button", name="Sign out"))

    def at(self):
        return timezone.localtime(self.clock.now()).strftime("%Y-%m-%dT%H:%M")

    def message(self, text):
        expect(self.page.locator(".messages")).to_contain_text(text)

    def status(self, text):
        expect(self.page.get_by_test_id("session-status")).to_have_text(text)


def _vitals(j, temperature="36.8"):
    box = j.page.locator("#vitals")
    box.get_by_label("Time taken").fill(j.at())
    box.get_by_label("Temperature").fill(temperature)
    box.get_by_label("Unit").select_option("C")
    box.get_by_label("Heart rate").fill("96")
    box.get_by_label("Systolic").fill("104")
    box.get_by_label("Diastolic").fill("66")
    box.get_by_label("Respiratory rate").fill("20")
    box.get_by_label("SpO2").fill("99")
    j.press(box.get_by_role("button", name="Record vital signs"))
    j.message("Vital signs recorded")


def _rate(j, rate, reason=""):
    box = j.page.locator("#rate-form")
    box.get_by_label("Actual time").fill(j.at())
    box.get_by_label("Pump rate (mL/h)").fill(rate)
    box.get_by_label("Reason (needed when not following the plan)").fill(reason)
    j.press(box.get_by_role("button", name="Confirm rate"))


def _open_day(j, order, mrn, day):
    """From the order to a confirmed checklist with the day's vials scanned."""
    j.go(f"/orders/{order.pk}/")
    j.press(j.page.get_by_role("link", name="Start infusion"))
    expect(j.page.locator("main")).to_contain_text(f"Day {day} of the course")
    j.page.get_by_label("Centre chair").check()
    j.page.get_by_label("Chair or place").fill("Chair 4")
    j.press(j.page.get_by_role("button", name="Open the flowsheet"))
    j.status("Pre-infusion checklist")

    j.page.get_by_label("Scan the wristband").fill(mrn)
    j.press(j.page.get_by_role("button", name="Check identity"))
    expect(j.page.get_by_test_id("identity-status")).to_contain_text("Identified: Wristband")
    box = j.page.locator("#checklist")
    box.get_by_label("Consent confirmed").check()
    box.get_by_label("Weight today", exact=True).fill("25.4")
    box.get_by_label("Hydration").fill("Oral fluids 250 mL")
    box.get_by_label("Premedication given at").fill(j.at())
    box.get_by_label("IV access (site, gauge)").fill("Left forearm 24G")
    box.get_by_label("IV access (site, gauge)").blur()
    expect(j.page.locator("#autosave-status")).to_contain_text("Saved")
    _vitals(j)
    j.press(j.page.get_by_role("button", name="Confirm checklist"))
    j.status("Ready to start")

    for gtin, lot in ((GTIN_20, "G20A"), (GTIN_5, "F05A")):
        scan = j.page.locator("#scan")
        scan.get_by_label("Scan the vial").fill(barcode(gtin, date.today() + timedelta(days=365), lot))
        j.press(scan.get_by_role("button", name="Check vial"))
        j.message(f"Vial accepted: lot {lot}")
    expect(j.page.locator("#scan")).to_contain_text("Every vial for today is scanned")


def _start(j):
    start = j.page.locator("#start")
    expect(start.get_by_label("Pump rate (mL/h)")).to_have_value("7.5")
    j.press(start.get_by_role("button", name="Start infusion"))
    expect(j.page.get_by_test_id("pump-rate")).to_have_text("7.5 mL/h")
    j.status("Running")


def _step_on_and_end(j, session):
    """Follow the plan's steps (vital signs before each) to the top rate; end when the bag is empty."""
    while True:
        planned = j.page.locator("#rate-form").get_by_label("Pump rate (mL/h)").input_value()
        current = pump.current_segment(session).rate_ml_per_h
        if not planned or Decimal(planned) <= current:
            break
        j.clock.advance(minutes=28)
        _vitals(j)
        j.clock.advance(minutes=2)
        _rate(j, planned)
        expect(j.page.get_by_test_id("pump-rate")).to_have_text(f"{float(planned):g} mL/h")
    session.refresh_from_db()
    rate = float(pump.current_segment(session).rate_ml_per_h)
    left = float(session.volume_planned_ml) - pump.given_ml(session, j.clock.now())
    j.clock.advance(minutes=math.ceil(left / rate * 60))
    _vitals(j)
    box = j.page.locator("#end")
    box.get_by_label("Actual time").fill(j.at())
    j.press(box.get_by_role("button", name="End infusion"))
    session.refresh_from_db()
    assert abs(float(session.volume_given_ml) - float(session.volume_planned_ml)) < 1, session.volume_given_ml
    expect(j.page.get_by_test_id("volume-given")).to_have_text(f"{session.volume_given_ml} mL")


def _discharge(j, minutes):
    j.clock.advance(minutes=minutes)
    _vitals(j)
    box = j.page.locator("#discharge")
    box.get_by_label("Actual time").fill(j.at())
    box.get_by_label("Education pages given").check()
    box.get_by_label("After-infusion diary given").check()
    j.press(box.get_by_role("button", name="Discharge"))
    j.status("Completed")


def _family_fills_the_diary(browser, j, link, language):
    """On the family's own device, in Spanish on the phone run and English on the desktop one."""
    words = FAMILY[language]
    context = browser.new_context(viewport=j.page.viewport_size)
    family = Journey(context.new_page(), j.url, j.clock, j.phone)
    family.page.goto(link)
    family.fits()
    if language == "es":
        family.page.get_by_label("Language").select_option("es")
        family.press(family.page.get_by_role("button", name="Change"))
    family.page.get_by_label(words["username"]).fill("mias.parent")
    family.page.get_by_label(words["password"]).fill(PASSWORD)
    family.page.get_by_label(words["again"]).fill(PASSWORD)
    family.press(family.page.get_by_role("button", name=words["join"]))
    expect(family.page.get_by_role("heading", name="Mia Chen")).to_be_visible()
    family.press(family.page.get_by_role("link", name=words["diary"]))
    family.page.get_by_label(words["temperature"]).fill("37.1")
    family.page.get_by_label("°C").check()
    family.press(family.page.get_by_role("button", name=words["save"]))
    expect(family.page.get_by_role("heading", name=words["home_care"])).to_be_visible()
    # The hours depend on how long the day's steps took on this machine: the words, not the number.
    expect(family.page.locator("main")).to_contain_text(re.compile(words["recorded"]))
    family.fits()
    j.pages_checked += family.pages_checked
    context.close()


@pytest.fixture
def server_clock():
    """The server's clock at 08:00 today: the live server runs in this process and reads ivig.clock."""
    start = timezone.make_aware(datetime.combine(date.today(), time(8, 0)))
    clock.set_now(start)
    yield SimpleNamespace(start=start, advance=clock.advance, now=clock.now, set=clock.set_now)
    clock.reset()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_whole_paediatric_itp_journey(
    viewport, live_server, browser, page, make_user, make_lot, server_clock, settings
):
    from ivig.inventory.actions import register_product

    settings.IVIG_GS1_SEPARATOR_REPLACEMENT = "|"
    page.set_viewport_size(VIEWPORTS[viewport])
    j = Journey(page, live_server.url, server_clock, phone=viewport == "phone")
    make_user("Nurse", "rn-ade")
    make_user("Prescriber", "dr-okafor")
    pharmacist = make_user("Pharmacist", "ph-lindqvist")
    register_product(by=pharmacist, catalog_slug="privigen", vial_size_g=Decimal("20"), gtin=GTIN_20)
    register_product(by=pharmacist, catalog_slug="privigen", vial_size_g=Decimal("5"), gtin=GTIN_5)
    in_a_year = date.today() + timedelta(days=365)  # GS1 expiry years have two digits
    make_lot(pharmacist, lot_number="G20A", vials=4, vial_size_g="20", expiry_date=in_a_year)
    make_lot(pharmacist, lot_number="F05A", vials=4, vial_size_g="5", expiry_date=in_a_year)
    today = timezone.localdate()

    # 1. The nurse registers the child.
    j.sign_in("rn-ade")
    j.go("/patients/")
    j.press(page.get_by_role("link", name="New patient"))
    page.get_by_label("Medical record number").fill("RB170017")
    page.get_by_label("Given name").fill("Mia")
    page.get_by_label("Family name").fill("Chen")
    page.get_by_label("Date of birth").fill(date(today.year - 8, 1, 15).isoformat())
    page.get_by_label("Sex at birth").select_option("female")
    page.locator("#id_weight").fill("25")
    j.press(page.get_by_role("button", name="Save"))
    j.message("Mia Chen registered")
    child = Patient.objects.get(mrn="RB170017")
    j.sign_out()

    # 2. The prescriber writes and signs the order, with a real reason for each caution shown.
    j.sign_in("dr-okafor")
    j.go(f"/patients/{child.pk}/")
    j.press(page.get_by_role("link", name="New order"))
    fill_itp_order(page, today)
    expect(page.locator("#plan-preview")).to_contain_text("Day 2: 25.0 g")
    reasons = page.get_by_label("Your reason for going on")
    for i in range(reasons.count()):
        reasons.nth(i).fill(CAUTION_REASON)
    j.press(page.get_by_role("button", name="Sign order"))
    expect(page.get_by_test_id("order-status")).to_have_text("Signed")
    order = TherapyOrder.objects.get(patient=child)
    cautions = order.caution_reasons
    j.sign_out()

    # 3. The pharmacist verifies, acknowledging each caution, and dispenses first-expiry-first-out.
    j.sign_in("ph-lindqvist")
    j.go(f"/orders/{order.pk}/")
    j.press(page.get_by_role("link", name="Verify this order"))
    page.get_by_label("Weight you checked (kg)").fill("25")
    page.get_by_label("I have recalculated the dose and the vials and they agree").check()
    acknowledge = page.get_by_label("I acknowledge this caution and the prescriber's reason")
    assert acknowledge.count() == len(cautions)
    for i in range(acknowledge.count()):
        acknowledge.nth(i).check()
    j.press(page.get_by_role("button", name="Verify"))
    expect(page.get_by_test_id("order-status")).to_have_text("Verified")
    j.press(page.get_by_role("link", name="Dispense"))
    expect(page.get_by_label("Vials from lot G20A")).to_have_value("2")
    expect(page.get_by_label("Vials from lot F05A")).to_have_value("2")
    j.press(page.get_by_role("button", name="Dispense and take from stock"))
    expect(page.get_by_test_id("order-status")).to_have_text("Dispensed")
    j.sign_out()

    # 4. Day 1: wristband, checklist, vials, start, a step up; a grade 1 reaction at 08:40 holds the next.
    j.sign_in("rn-ade")
    _open_day(j, order, child.mrn, 1)
    _start(j)
    session = InfusionSession.objects.get(order=order, day_number=1)
    server_clock.advance(minutes=28)
    _vitals(j)
    server_clock.advance(minutes=2)
    _rate(j, "15")
    expect(page.get_by_test_id("pump-rate")).to_have_text("15 mL/h")
    server_clock.advance(minutes=10)
    reaction = page.locator("#reaction")
    reaction.get_by_label("Started at").fill(j.at())
    reaction.get_by_label("Chills").check()
    reaction.get_by_label("Grade 1", exact=False).check()
    j.press(reaction.get_by_role("button", name="Record reaction and show guidance"))
    expect(page.get_by_test_id("reaction")).to_contain_text("Adverse event #")
    open_reaction = page.get_by_test_id("live-panel").get_by_test_id("open-reaction")
    expect(open_reaction).to_contain_text("grade 1 at 08:40")
    expect(page.get_by_test_id("live-panel").get_by_test_id("next-step")).to_contain_text("On hold")
    server_clock.advance(minutes=18)
    _vitals(j)
    server_clock.advance(minutes=2)  # 09:00, when the plan's next step would be due
    _rate(j, "30", reason="feels fine, family keen to go on")
    expect(page.locator("#rate .errors")).to_contain_text("No step-up while the grade 1 reaction")
    assert pump.current_segment(session).rate_ml_per_h == Decimal("15")

    # The nurse pauses until the chills settle, then restarts on the resume plan.
    page.locator("#pause summary").click()
    page.locator("#pause").get_by_label("Actual time").fill(j.at())
    page.locator("#pause").get_by_label("Reason for pausing").fill("Grade 1 reaction: chills, pausing")
    j.press(page.locator("#pause").get_by_role("button", name="Pause"))
    j.status("Paused")
    server_clock.advance(minutes=15)
    card = page.get_by_test_id("reaction")
    card.get_by_label("Settled at").fill(j.at())
    j.press(card.get_by_role("button", name="Symptoms settled"))
    expect(page.get_by_test_id("resume-plan")).to_contain_text("Restart at 7.5 mL/h (last tolerated rate)")
    resume = page.locator("#resume")
    expect(resume.get_by_label("Pump rate (mL/h)")).to_have_value("7.5")
    resume.get_by_label("Actual time").fill(j.at())
    j.press(resume.get_by_role("button", name="Restart"))
    j.status("Running")
    expect(page.get_by_test_id("pump-rate")).to_have_text("7.5 mL/h")
    _step_on_and_end(j, session)
    _discharge(j, 60)  # first infusion: an hour's observation
    j.sign_out()

    # 5. The nurse's invitation; that evening a parent joins the portal and fills the diary.
    server_clock.advance(hours=4)
    j.sign_in("rn-ade")
    j.go(f"/patients/{child.pk}/")
    j.press(page.get_by_role("link", name="Invite to portal"))
    page.get_by_label("E-mail of the patient or family member").fill("mia.parent@example.org")
    page.get_by_label("Who is it?").select_option("parent")
    j.press(page.get_by_role("button", name="Create invitation link"))
    link = page.locator("#invitation-link").inner_text()
    j.sign_out()
    _family_fills_the_diary(browser, j, link, "es" if j.phone else "en")

    # 6. Day 2, the next morning: the second day runs without a reaction and completes the order.
    server_clock.set(server_clock.start + timedelta(days=1))
    j.sign_in("rn-ade")
    _open_day(j, order, child.mrn, 2)
    _start(j)
    second = InfusionSession.objects.get(order=order, day_number=2)
    _step_on_and_end(j, second)
    _discharge(j, 60)  # still the first course: an hour again
    j.go(f"/orders/{order.pk}/")
    expect(page.get_by_test_id("order-status")).to_have_text("Completed")

    order.refresh_from_db()
    assert order.status == TherapyOrder.Status.COMPLETED
    sessions = InfusionSession.objects.filter(order=order)
    assert sorted(sessions.values_list("day_number", "status")) == [(1, "completed"), (2, "completed")]
    for day in sessions:  # each day its own two vials: one of 20 g and one of 5 g
        assert sorted(day.scans.filter(accepted=True).values_list("lot_number", flat=True)) == [
            "F05A",
            "G20A",
        ]
    assert Reaction.objects.filter(session__order=order).count() == 1
    assert AdverseEvent.objects.filter(reaction__session__order=order).count() == 1
    assert DiaryEntry.objects.filter(follow_up__order=order).count() == 1
    if j.phone:
        assert j.pages_checked >= 40

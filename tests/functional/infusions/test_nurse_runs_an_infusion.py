"""Issue 5 acceptance, in the browser with a controllable server clock: a nurse runs a whole infusion with a
grade 2 reaction (pause, treat, restart lower); wrong-lot and expired-lot scans and a rate above the label
maximum are refused; the record shows the steps as given and a volume that matches the rates and times; every
event has an audit row; the record prints. Two devices saving one session: the second is told, nothing
lost."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from ivig.audit.models import AuditEvent
from ivig.infusions.models import InfusionEvent, InfusionSession
from ivig.orders.models import TherapyOrder
from tests.drivers.infusions import GTIN_5, GTIN_20, barcode


def _at(clock, page):
    """The local time text a nurse types into a time field."""
    return timezone.localtime(clock.now()).strftime("%Y-%m-%dT%H:%M")


def _vitals(page, clock, heart_rate="96", temperature="36.8", unit="C"):
    box = page.locator("#vitals")
    box.get_by_label("Time taken").fill(_at(clock, page))
    box.get_by_label("Temperature").fill(temperature)
    box.get_by_label("Unit").select_option(unit)
    box.get_by_label("Heart rate").fill(heart_rate)
    box.get_by_label("Systolic").fill("104")
    box.get_by_label("Diastolic").fill("66")
    box.get_by_label("Respiratory rate").fill("20")
    box.get_by_label("SpO2").fill("99")
    box.get_by_role("button", name="Record vital signs").click()
    expect(page.locator(".messages")).to_contain_text("Vital signs recorded")


def _step(page, clock, rate, reason=""):
    box = page.locator("#rate-form")
    box.get_by_label("Actual time").fill(_at(clock, page))
    box.get_by_label("Pump rate (mL/h)").fill(rate)
    box.get_by_label("Reason (needed when not following the plan)").fill(reason)
    box.get_by_role("button", name="Confirm rate").click()


def _checklist(page, clock, mrn):
    page.get_by_label("Scan the wristband").fill(mrn)
    page.get_by_role("button", name="Check identity").click()
    expect(page.get_by_test_id("identity-status")).to_contain_text("Identified: Wristband")
    box = page.locator("#checklist")
    box.get_by_label("Consent confirmed").check()
    box.get_by_label("Weight today", exact=True).fill("25.4")
    box.get_by_label("Hydration").fill("Oral fluids 250 mL")
    box.get_by_label("Premedication given at").fill(_at(clock, page))
    box.get_by_label("IV access (site, gauge)").fill("Left forearm 24G")
    box.get_by_label("IV access (site, gauge)").blur()
    expect(page.locator("#autosave-status")).to_contain_text("Saved")


def test_it_runs_a_whole_infusion_with_a_grade_2_reaction(
    live_server, page, sign_in, dispensed_order, fixed_clock, settings
):
    settings.IVIG_GS1_SEPARATOR_REPLACEMENT = "|"
    d, clock = dispensed_order, fixed_clock
    sign_in("rn-ade")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Infusions").click()
    expect(page.locator("main")).to_contain_text(d.order.reference)
    page.goto(f"{live_server.url}/orders/{d.order.pk}/")
    page.get_by_role("link", name="Start infusion").click()
    page.get_by_label("Centre chair").check()
    page.get_by_label("Chair or place").fill("Chair 4")
    page.get_by_role("button", name="Open the flowsheet").click()
    expect(page.get_by_test_id("session-status")).to_have_text("Pre-infusion checklist")

    _checklist(page, clock, d.order.patient.mrn)
    page.reload()
    expect(page.locator("#checklist").get_by_label("Weight today", exact=True)).to_have_value(
        "25.4"
    )  # kept on the server
    _vitals(page, clock)
    page.get_by_role("button", name="Confirm checklist").click()
    expect(page.get_by_test_id("session-status")).to_have_text("Ready to start")

    # Vials: a lot not dispensed for this order and an expired lot are hard stops; the right ones pass,
    # scanned with a keyboard-wedge separator and typed.
    scan = page.locator("#scan")
    scan.get_by_label("Scan the vial").fill(barcode(GTIN_20, d.other.expiry_date, "OTHER20"))
    scan.get_by_role("button", name="Check vial").click()
    expect(page.locator("#scan .errors")).to_contain_text("Wrong lot: lot OTHER20 was not dispensed")
    page.locator("#scan").get_by_label("Scan the vial").fill(barcode(GTIN_5, d.old.expiry_date, "OLD05"))
    page.locator("#scan").get_by_role("button", name="Check vial").click()
    expect(page.locator("#scan .errors")).to_contain_text("Expired: lot OLD05")
    page.locator("#scan").get_by_label("Scan the vial").fill(barcode(GTIN_20, d.g20.expiry_date, "G20A", "|"))
    page.locator("#scan").get_by_role("button", name="Check vial").click()
    expect(page.locator(".messages")).to_contain_text("Vial accepted: lot G20A")
    page.locator("#scan").get_by_label("Or type the lot number").fill("f05a")
    page.locator("#scan").get_by_label("and the expiry date").fill(d.f05.expiry_date.isoformat())
    page.locator("#scan").get_by_role("button", name="Check vial").click()
    expect(page.locator(".messages")).to_contain_text("Vial accepted: lot f05a")
    expect(page.locator("#scan")).to_contain_text("Every vial for today is scanned")

    start = page.locator("#start")
    expect(start.get_by_label("Pump rate (mL/h)")).to_have_value("7.5")
    start.get_by_role("button", name="Start infusion").click()
    expect(page.get_by_test_id("pump-rate")).to_have_text("7.5 mL/h")
    expect(page.get_by_test_id("next-step")).to_contain_text("15.0 mL/h")
    expect(page.get_by_test_id("next-step")).to_contain_text("08:30")

    clock.advance(minutes=16)
    page.reload()
    expect(page.get_by_test_id("vitals-due")).to_contain_text("DUE")  # 15 min after the start
    clock.advance(minutes=5)
    page.reload()
    expect(page.get_by_test_id("vitals-due")).to_contain_text("OVERDUE")
    _vitals(page, clock)
    clock.advance(minutes=7)
    page.reload()
    _vitals(page, clock)  # before the increase
    clock.advance(minutes=2)  # 08:30
    page.reload()
    expect(page.locator("#rate-form").get_by_label("Pump rate (mL/h)")).to_have_value("15.0")
    _step(page, clock, "15")
    expect(page.get_by_test_id("pump-rate")).to_have_text("15 mL/h")

    clock.advance(minutes=28)
    page.reload()
    _vitals(page, clock)
    clock.advance(minutes=2)  # 09:00
    page.reload()
    _step(page, clock, "75", reason="patient wants to finish early")
    expect(page.locator("#rate .errors")).to_contain_text("above the label maximum of 4 mg/kg/min")
    _step(page, clock, "30")
    expect(page.get_by_test_id("pump-rate")).to_have_text("30 mL/h")

    # 09:10: a grade 2 reaction. Guidance says pause; the nurse pauses, treats, and restarts lower.
    clock.advance(minutes=10)
    page.reload()
    reaction = page.locator("#reaction")
    reaction.get_by_label("Started at").fill(_at(clock, page))
    reaction.get_by_label("Chills").check()
    reaction.get_by_label("Headache").check()
    reaction.get_by_label("Grade 2", exact=False).check()
    reaction.get_by_role("button", name="Record reaction and show guidance").click()
    expect(page.get_by_test_id("guidance")).to_contain_text("Pause the infusion")
    page.locator("#pause summary").click()
    page.locator("#pause").get_by_label("Actual time").fill(_at(clock, page))
    page.locator("#pause").get_by_label("Reason for pausing").fill("Grade 2 reaction: chills, headache")
    page.locator("#pause").get_by_role("button", name="Pause").click()
    expect(page.get_by_test_id("session-status")).to_have_text("Paused")
    clock.advance(minutes=2)
    page.reload()
    page.get_by_test_id("reaction").locator("summary", has_text="Record a treatment").click()
    page.locator("#action_at").fill(_at(clock, page))
    page.get_by_test_id("reaction").get_by_label("Treatment or action").fill(
        "Cetirizine 5 mg PO, paracetamol given"
    )
    page.get_by_test_id("reaction").get_by_role("button", name="Record", exact=True).click()
    expect(page.get_by_test_id("reaction")).to_contain_text("Cetirizine 5 mg PO")
    clock.advance(minutes=18)  # 09:30
    page.reload()
    page.get_by_test_id("reaction").get_by_label("Settled at").fill(_at(clock, page))
    page.get_by_test_id("reaction").get_by_role("button", name="Symptoms settled").click()
    expect(page.get_by_test_id("resume-plan")).to_contain_text("Restart at 15 mL/h (last tolerated rate)")
    resume = page.locator("#resume")
    expect(resume.get_by_label("Pump rate (mL/h)")).to_have_value("15.0")
    resume.get_by_label("Actual time").fill(_at(clock, page))
    resume.get_by_role("button", name="Restart").click()
    expect(page.get_by_test_id("pump-rate")).to_have_text("15 mL/h")
    expect(page.get_by_test_id("next-step")).to_contain_text("30.0 mL/h")

    for rate in ("30", "60"):
        clock.advance(minutes=28)
        page.reload()
        _vitals(page, clock)
        clock.advance(minutes=2)
        page.reload()
        _step(page, clock, rate)
        expect(page.get_by_test_id("pump-rate")).to_have_text(f"{rate} mL/h")

    # 10:30 at 60 mL/h with 211.25 mL to go: the bag empties at 14:01.
    clock.advance(minutes=211)
    page.reload()
    _vitals(page, clock)
    page.locator("#end").get_by_label("Actual time").fill(_at(clock, page))
    page.locator("#end").get_by_role("button", name="End infusion").click()
    expect(page.get_by_test_id("volume-given")).to_have_text("249.8 mL")
    clock.advance(minutes=60)  # first infusion: observe 1 h after
    page.reload()
    _vitals(page, clock, temperature="98.2", unit="F")
    box = page.locator("#discharge")
    box.get_by_label("Actual time").fill(_at(clock, page))
    box.get_by_label("Education pages given").check()
    box.get_by_label("After-infusion diary given").check()
    box.get_by_role("button", name="Discharge").click()
    expect(page.get_by_test_id("session-status")).to_have_text("Completed")

    # The record: the steps as given, the volume from the rates and times, the chart; it prints.
    page.get_by_role("link", name="Infusion record").click()
    steps = page.get_by_test_id("rate-steps")
    rows = [" ".join(r.split()) for r in steps.locator("tbody tr").all_inner_texts()]
    kinds = [(r.split("\t")[2] if "\t" in r else r) for r in steps.locator("tbody tr").all_inner_texts()]
    assert [k.split("\t")[0] for k in kinds] == [
        "Started",
        "Stepped up",
        "Stepped up",
        "Paused",
        "Resumed",
        "Stepped up",
        "Stepped up",
    ], rows
    rates = [r.split("\t")[3] for r in steps.locator("tbody tr").all_inner_texts()]
    assert rates == ["7.5", "15", "30", "0", "15", "30", "60"]
    expect(page.get_by_test_id("record-volume")).to_contain_text("249.8 mL of 250.0 mL")
    expect(page.locator("svg.rate-chart path.actual")).to_have_count(1)
    expect(page.locator("svg.rate-chart path.reaction-marker")).to_have_count(1)
    expect(page.get_by_test_id("events")).to_contain_text("vial REFUSED (OTHER20)")
    page.emulate_media(media="print")
    expect(page.locator(".site-header nav")).to_be_hidden()
    expect(page.locator("svg.rate-chart")).to_be_visible()
    page.emulate_media(media="screen")

    session = InfusionSession.objects.get(order=d.order)
    assert session.volume_given_ml is not None and float(session.volume_given_ml) == 249.8
    assert TherapyOrder.objects.get(pk=d.order.pk).status == "in_progress"  # day 2 still to come
    events = InfusionEvent.objects.filter(session=session)
    audits = AuditEvent.objects.filter(target_type="infusions.InfusionSession", target_id=str(session.pk))
    assert sorted(a.after["event_id"] for a in audits) == sorted(e.pk for e in events)
    assert {
        "vial_refused",
        "pump_start",
        "rate_increase",
        "reaction",
        "pump_pause",
        "pump_resume",
        "pump_end",
        "discharge",
        "vitals",
        "reaction_action",
        "reaction_settled",
        "checklist_confirm",
    } <= {e.kind for e in events}
    assert session.followup_due_at == session.discharged_at + timedelta(hours=72)


def test_it_tells_the_second_device_and_keeps_its_entry(
    live_server, browser, page, sign_in, dispensed_order, fixed_clock
):
    from ivig.infusions import actions

    d = dispensed_order
    session = actions.start_session(by=d.nurse, order=d.order, setting="home", location="Home visit")
    url = f"{live_server.url}/infusions/{session.pk}/"
    sign_in("rn-ade")
    page.goto(url)
    tablet = page
    phone_context = browser.new_context(viewport={"width": 375, "height": 740}, base_url=live_server.url)
    phone = phone_context.new_page()
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.get_by_label("Username").fill("rn-ade")
    phone.get_by_label("Password").fill("correct-horse-battery")
    phone.get_by_role("button", name="Sign in").click()
    phone.goto(url)

    tablet.locator("#checklist").get_by_label("Notes").fill("Tablet: dog shut in the garden; patient on sofa")
    tablet.locator("#checklist").get_by_label("Notes").blur()
    expect(tablet.locator("#autosave-status")).to_contain_text("Saved")

    phone.locator("#checklist").get_by_label("Hydration").fill("Phone: drank 300 mL water")
    phone.locator("#checklist").get_by_label("Hydration").blur()
    expect(phone.locator("#autosave-status")).to_contain_text("Another device saved this session")
    expect(phone.locator("#checklist").get_by_label("Hydration")).to_have_value("Phone: drank 300 mL water")

    session.refresh_from_db()
    assert session.notes.startswith("Tablet:") and session.hydration == ""  # the first save stands
    conflict = AuditEvent.objects.get(action="infusion.conflict", target_id=str(session.pk))
    assert conflict.after["submitted"]["hydration"] == "Phone: drank 300 mL water"  # nothing lost
    phone.reload()
    expect(phone.locator("#checklist").get_by_label("Notes")).to_have_value(
        "Tablet: dog shut in the garden; patient on sofa"
    )
    phone_context.close()

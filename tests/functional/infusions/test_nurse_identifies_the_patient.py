"""Issue 17 items 1 and 4 on a 360 px phone: another patient's wristband is a hard stop that stays on the
record, the right band unlocks the vials, and a weight typo is asked about before anything is saved."""

from __future__ import annotations

from playwright.sync_api import expect

from ivig.infusions import actions
from ivig.infusions.models import IdentityCheck


def _fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the flowsheet is {width} px wide on a 360 px screen"


def test_it_stops_the_wrong_wristband_and_asks_before_keeping_a_weight_typo(
    live_server, page, sign_in, dispensed_order, fixed_clock, make_patient
):
    d = dispensed_order
    other = make_patient(d.prescriber, mrn="OTHER-77", given_name="Noah")
    session = actions.start_session(by=d.nurse, order=d.order, setting="centre")
    page.set_viewport_size({"width": 360, "height": 780})
    sign_in("rn-ade")
    page.goto(f"{live_server.url}/infusions/{session.pk}/")

    expect(page.get_by_test_id("scan-locked")).to_be_visible()  # no vial before the patient is identified
    expect(page.get_by_label("Scan the wristband")).to_be_focused()  # the wedge scanner types here
    page.get_by_label("Scan the wristband").fill(other.mrn)
    page.get_by_role("button", name="Check identity").click()
    expect(page.locator("#identity .errors")).to_contain_text(
        "STOP: WRONG PATIENT: this wristband is for another patient (MRN OTHER-77)"
    )
    expect(page.get_by_test_id("identity-status")).to_contain_text("Not identified yet")
    _fits(page)

    page.get_by_label("Scan the wristband").fill(d.order.patient.mrn)
    page.get_by_role("button", name="Check identity").click()
    expect(page.get_by_test_id("identity-status")).to_contain_text("Identified: Wristband")
    expect(page.get_by_test_id("identity-checks")).to_contain_text("REFUSED: WRONG PATIENT")
    expect(page.get_by_label("Scan the vial")).to_be_visible()
    assert IdentityCheck.objects.filter(session=session, accepted=False).count() == 1

    box = page.locator("#checklist")
    box.get_by_label("Weight today", exact=True).fill("36.4")  # typed for a 25 kg child
    box.get_by_label("Weight today", exact=True).blur()
    expect(page.locator("#autosave-status")).to_contain_text("Weight NOT saved")
    expect(page.locator("#autosave-status")).to_contain_text("45.6 % from the order's 25 kg")
    session.refresh_from_db()
    assert session.weight_today_kg is None and session.status == "checklist"
    _fits(page)

    box.get_by_label("Weight unit").select_option("lb")
    box.get_by_label("Weight today", exact=True).fill("55.1")
    box.get_by_label("Weight today", exact=True).blur()
    expect(page.locator("#autosave-status")).to_contain_text("Saved")
    session.refresh_from_db()
    assert str(session.weight_today_kg) == "24.99" and session.weight_entered_unit == "lb"

    box.get_by_label("Hydration").fill("Oral fluids")  # saved with a held weight: the version follows
    box.get_by_label("Weight unit").select_option("kg")
    box.get_by_label("Weight today", exact=True).fill("27.9")  # re-weighed: really 11.6 % above the order
    before = page.locator("#autosave-status").inner_text()
    box.get_by_label("I re-weighed the patient: this weight is right").check()
    expect(page.locator("#autosave-status")).not_to_have_text(before)  # this save's answer, not the last
    expect(page.locator("#autosave-status")).to_contain_text("Saved")
    session.refresh_from_db()
    assert str(session.weight_today_kg) == "27.90" and session.weight_confirmed

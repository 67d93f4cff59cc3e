"""Issue 17 item 3 in the browser: with a grade 1 reaction open the live panel shows it (grade and the core's
guidance) and holds the next step; a step-up is refused even with a reason, and lowering is still allowed."""

from __future__ import annotations

from django.utils import timezone
from playwright.sync_api import expect

from ivig import clock
from ivig.infusions import actions, pump, reaction_actions
from ivig.infusions.models import RateSegment
from tests.drivers.infusions import running


def _at() -> str:
    return timezone.localtime(clock.now()).strftime("%Y-%m-%dT%H:%M")


def _rate(page, rate, reason=""):
    box = page.locator("#rate-form")
    box.get_by_label("Actual time").fill(_at())
    box.get_by_label("Pump rate (mL/h)").fill(rate)
    box.get_by_label("Reason (needed when not following the plan)").fill(reason)
    box.get_by_role("button", name="Confirm rate").click()


def test_it_refuses_a_step_up_with_the_open_reaction_on_the_live_panel(
    live_server, page, sign_in, dispensed_order, fixed_clock
):
    d = dispensed_order
    session = running(d)
    fixed_clock.advance(minutes=10)
    reaction_actions.record_reaction(
        by=d.nurse, session=session, onset_at=clock.now(), grade=1, symptoms=["chills", "headache"]
    )
    fixed_clock.advance(minutes=19)
    actions.record_vitals(by=d.nurse, session=session, taken_at=clock.now(), heart_rate=98)
    fixed_clock.advance(minutes=2)  # the plan's next step (15 mL/h) is due

    sign_in("rn-ade")
    page.goto(f"{live_server.url}/infusions/{session.pk}/")
    panel = page.get_by_test_id("live-panel")
    open_reaction = panel.get_by_test_id("open-reaction")
    expect(open_reaction).to_contain_text("grade 1 at 08:10")
    expect(open_reaction).to_contain_text("Open")
    expect(open_reaction.get_by_test_id("open-reaction-guidance")).to_have_text(
        "Continue, or slow the rate; watch closely"
    )
    expect(panel.get_by_test_id("next-step")).to_contain_text("On hold")

    _rate(page, "15")
    expect(page.locator("#rate .errors")).to_contain_text(
        "No step-up while the grade 1 reaction at 08:10 is open"
    )
    _rate(page, "15", reason="feels fine, family keen to go on")
    expect(page.locator("#rate .errors")).to_contain_text("No step-up while the grade 1 reaction")
    expect(page.get_by_test_id("open-reaction")).to_be_visible()
    assert not session.segments.filter(kind=RateSegment.Kind.INCREASE).exists()

    _rate(page, "5", reason="grade 1 reaction: slowing down")
    expect(page.locator(".messages")).to_contain_text("Rate change recorded")
    assert session.segments.filter(kind=RateSegment.Kind.DECREASE).exists()
    assert pump.current_segment(session).rate_ml_per_h == 5

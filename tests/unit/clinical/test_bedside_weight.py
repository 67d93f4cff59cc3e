"""Bedside weight: off the order's weight or implausible against the last one is asked first."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ivig.clinical.infusion.bedside_weight import LastWeight, check_bedside_weight, confirmation_text
from ivig.clinical.patient import Severity


def check(today: str, *, order: str = "16.5", last: str | None = "16.5") -> list:
    return check_bedside_weight(
        today_kg=Decimal(today),
        order_kg=Decimal(order),
        tolerance_pct=Decimal("10"),
        last=LastWeight(kg=Decimal(last), on=date(2026, 3, 1)) if last else None,
        ratio_limit=Decimal("1.5"),
        age_text="4 years",
    )


def test_it_asks_nothing_within_the_tolerance():
    assert check("17.9") == []  # 8.5 % above 16.5
    assert confirmation_text(check("17.9")) == ""


def test_it_marks_a_weight_off_the_order_as_the_stop_to_confirm():
    (finding,) = check("19.0", last=None)
    assert finding.severity is Severity.STOP and finding.field == "weight"
    assert "15.2 % from the order's 16.5 kg" in finding.message
    assert "IVIG_INFUSION_WEIGHT_TOLERANCE_PCT" in finding.source


def test_it_warns_of_a_typo_against_the_last_recorded_weight():
    findings = check("36.4")  # the typo for a 16.5 kg child: 2.21 times the last weight
    codes = [f.code for f in findings]
    assert codes == ["bedside-weight-off-order", "bedside-weight-implausible"]
    implausible = findings[1]
    assert implausible.severity is Severity.CAUTION
    assert "2.21 times the last recorded weight (16.5 kg on 2026-03-01)" in implausible.message
    assert "aged 4 years" in implausible.message and "not a clinical norm" in implausible.source
    assert "tick to confirm" in confirmation_text(findings)


def test_it_warns_of_a_weight_far_below_the_last_one():
    (finding,) = check("7.5", order="7.5", last="16.5")  # lb slip the other way: 0.45 times
    assert finding.code == "bedside-weight-implausible"

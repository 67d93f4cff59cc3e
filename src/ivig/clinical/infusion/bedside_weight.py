"""Today's weight at the bedside: what must be confirmed before it is kept, and what stops the session.

Two checks, neither of them a clinical norm:
- The order's weight tolerance (site setting, docs/reference/dosing.md s6: "no source was found for a within
5-10 %
  rule: make the tolerance a site setting"). Beyond it the dose must be checked by the prescriber, so the
  session stops; because that stop is costly and a typo is common, the nurse confirms the number first.
- A data-entry check against the patient's own last recorded weight: a ratio beyond the site's
  IVIG_WEIGHT_CHANGE_CONFIRM_RATIO (the same rule the order form uses) is more likely a slipped digit or a
  pound typed as a kilogram than a real change. The reference gives no weight-for-age norms (no growth
  charts), so the patient's own history is the age-appropriate comparison; no age band is invented here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ivig.clinical.patient import Finding, Severity

TOLERANCE_SOURCE = (
    "Site setting IVIG_INFUSION_WEIGHT_TOLERANCE_PCT (docs/reference/dosing.md s6: tolerance is the site's)"
)
RATIO_SOURCE = (
    "Site data-entry check IVIG_WEIGHT_CHANGE_CONFIRM_RATIO against the last recorded weight, "
    "not a clinical norm"
)


@dataclass(frozen=True, slots=True)
class LastWeight:
    kg: Decimal
    on: date


def off_order_pct(today_kg: Decimal, order_kg: Decimal) -> Decimal:
    return abs(today_kg - order_kg) / order_kg * 100


def check_bedside_weight(
    *,
    today_kg: Decimal,
    order_kg: Decimal,
    tolerance_pct: Decimal,
    last: LastWeight | None,
    ratio_limit: Decimal,
    age_text: str,
) -> list[Finding]:
    """Findings the nurse confirms before the weight is kept; the STOP one then sends the session back."""
    findings: list[Finding] = []
    off = off_order_pct(today_kg, order_kg)
    if off > tolerance_pct:
        findings.append(
            Finding(
                code="bedside-weight-off-order",
                severity=Severity.STOP,
                message=(
                    f"{today_kg.normalize():f} kg is {off:.1f} % from the order's "
                    f"{order_kg.normalize():f} kg (more than {tolerance_pct.normalize():f} %). "
                    "If it is right, the session stops and the order goes back to the prescriber "
                    "to check the dose."
                ),
                source=TOLERANCE_SOURCE,
                field="weight",
            )
        )
    if last is not None and last.kg > 0:
        ratio = today_kg / last.kg
        if ratio > ratio_limit or ratio < 1 / ratio_limit:
            findings.append(
                Finding(
                    code="bedside-weight-implausible",
                    severity=Severity.CAUTION,
                    message=(
                        f"{today_kg.normalize():f} kg is {ratio:.2f} times the last recorded weight "
                        f"({last.kg.normalize():f} kg on {last.on:%Y-%m-%d}) for a patient aged {age_text}: "
                        "check the scale, the digits and the unit (kg or lb)."
                    ),
                    source=RATIO_SOURCE,
                    field="weight",
                )
            )
    return findings


def confirmation_text(findings: list[Finding]) -> str:
    """What the nurse is asked before the weight is kept; empty when nothing needs confirming."""
    if not findings:
        return ""
    return " ".join(f.message for f in findings) + " Re-weigh, then tick to confirm the weight."

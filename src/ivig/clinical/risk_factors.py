"""Boxed-warning risk factors of a patient: thrombosis and renal (docs/reference/risk.md s7).

They decide whether a label's risk rate cap applies, whatever the product.
"""

from __future__ import annotations

from ivig.clinical.patient import PatientFactors, ThrombosisRisk

# s7 thrombosis timing: "risks: first infusion, age > 60, high dose" (the boxed warning says "advanced age").
THROMBOSIS_AGE_YEARS = 60
# s7 renal boxed warning: "age > 65".
RENAL_AGE_YEARS = 65
# KDIGO 2012: eGFR < 60 mL/min/1.73 m2 is chronic kidney disease G3a or worse ("any renal insufficiency", s7).
RENAL_EGFR_ML_PER_MIN = 60.0

_THROMBOSIS_LABELS = {
    ThrombosisRisk.IMMOBILISATION: "prolonged immobilisation",
    ThrombosisRisk.HYPERCOAGULABLE: "hypercoagulable state",
    ThrombosisRisk.PRIOR_THROMBOSIS: "history of venous or arterial thrombosis",
    ThrombosisRisk.ESTROGENS: "estrogens",
    ThrombosisRisk.CENTRAL_CATHETER: "indwelling central catheter",
    ThrombosisRisk.HYPERVISCOSITY: "hyperviscosity",
    ThrombosisRisk.CARDIOVASCULAR: "cardiovascular risk factors",
}


def thrombosis_reasons(factors: PatientFactors) -> tuple[str, ...]:
    """Return the boxed-warning thrombosis risk factors the patient has (s7)."""
    reasons = [_THROMBOSIS_LABELS[risk] for risk in ThrombosisRisk if risk in factors.thrombosis_risks]
    if factors.age_years > THROMBOSIS_AGE_YEARS:
        reasons.append(f"age over {THROMBOSIS_AGE_YEARS}")
    if factors.pregnant and ThrombosisRisk.HYPERCOAGULABLE not in factors.thrombosis_risks:
        reasons.append("pregnancy (hypercoagulable state)")
    if factors.paraproteinaemia and ThrombosisRisk.HYPERVISCOSITY not in factors.thrombosis_risks:
        reasons.append("paraproteinaemia (assess viscosity)")  # s7: monoclonal gammopathy
    return tuple(reasons)


def renal_reasons(factors: PatientFactors) -> tuple[str, ...]:
    """Return the boxed-warning renal risk factors the patient has (s7)."""
    reasons = []
    egfr = factors.egfr_ml_per_min_per_1_73m2
    if factors.renal_impairment:
        reasons.append("renal insufficiency")
    if egfr is not None and egfr < RENAL_EGFR_ML_PER_MIN:
        reasons.append(f"eGFR {egfr:g} < {RENAL_EGFR_ML_PER_MIN:g} mL/min/1.73 m2")
    for present, label in (
        (factors.diabetes, "diabetes"),
        (factors.age_years > RENAL_AGE_YEARS, f"age over {RENAL_AGE_YEARS}"),
        (factors.volume_depletion, "volume depletion"),
        (factors.sepsis, "sepsis"),
        (factors.paraproteinaemia, "paraproteinaemia"),
        (factors.nephrotoxic_drugs, "nephrotoxic drugs"),
    ):
        if present:
            reasons.append(label)
    return tuple(reasons)


def thrombosis_or_renal_risk(factors: PatientFactors) -> bool:
    """Say whether the label's risk rate cap applies (thrombosis or renal boxed-warning risk, s3 and s7)."""
    return bool(thrombosis_reasons(factors) or renal_reasons(factors))

"""Screen a patient against products: contraindications (hard), cautions (soft) and information.

Every threshold names its source. Codes are stable kebab-case strings that callers and tests may rely on.
Patient risk factors live in `ivig.clinical.risk_factors`, product ranking in `ivig.clinical.ranking`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ivig.clinical.catalog.model import Indication, Product, Route
from ivig.clinical.patient import BloodGroup, Finding, GlucoseMeter, PatientFactors, Severity
from ivig.clinical.risk_factors import renal_reasons, thrombosis_or_renal_risk, thrombosis_reasons

__all__ = [
    "ProductScreen",
    "product_findings",
    "renal_reasons",
    "screen_product",
    "screen_products",
    "thrombosis_or_renal_risk",
    "thrombosis_reasons",
]

# s7 haemolysis "high doses (e.g. >= 2 g/kg)"; aseptic meningitis "high doses (2 g/kg)".
HIGH_DOSE_G_PER_KG = 2.0
# s7 "infants with undiagnosed HFI"; an infant is under 1 year old.
INFANT_AGE_YEARS = 1.0
# s3 [HL]: sucrose not above 3 mg/kg/min.
SUCROSE_MAX_MG_PER_KG_PER_MIN = 3.0
# s2 labels name no minimum age above "adults" (18 years), so an age missing from the label data can leave a
# child outside the label but never an adult.
ADULT_AGE_YEARS = 18.0


@dataclass(frozen=True, slots=True)
class ProductScreen:
    """The findings for one product and patient."""

    product: Product
    findings: tuple[Finding, ...]

    def with_severity(self, severity: Severity) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is severity)

    @property
    def contraindications(self) -> tuple[Finding, ...]:
        return self.with_severity(Severity.CONTRAINDICATION)

    @property
    def cautions(self) -> tuple[Finding, ...]:
        return self.with_severity(Severity.CAUTION)

    @property
    def contraindicated(self) -> bool:
        return bool(self.contraindications)

    def codes(self) -> tuple[str, ...]:
        return tuple(f.code for f in self.findings)


def screen_product(
    factors: PatientFactors,
    product: Product,
    indication: Indication | None = None,
    dose_g_per_kg: float | None = None,
) -> ProductScreen:
    """Return every finding for giving `product` to this patient (total course dose in g/kg, if known)."""
    findings: list[Finding] = []
    for check in _CHECKS:
        findings.extend(check(factors, product, indication, dose_g_per_kg))
    order = {Severity.STOP: 0, Severity.CONTRAINDICATION: 0, Severity.CAUTION: 1, Severity.INFO: 2}
    findings.sort(key=lambda f: order[f.severity])  # stable: keeps check order within a severity
    return ProductScreen(product=product, findings=tuple(findings))


def product_findings(
    factors: PatientFactors,
    product: Product,
    indication: Indication | None = None,
    dose_g_per_kg: float | None = None,
) -> tuple[Finding, ...]:
    """Return the findings for one product, contraindications first (what a plan lists as warnings)."""
    return screen_product(factors, product, indication, dose_g_per_kg).findings


def screen_products(
    factors: PatientFactors,
    products: Iterable[Product],
    indication: Indication | None = None,
    dose_g_per_kg: float | None = None,
) -> tuple[ProductScreen, ...]:
    return tuple(screen_product(factors, p, indication, dose_g_per_kg) for p in products)


def _finding(
    code: str, severity: Severity, message: str, source: str, product: Product, field: str = ""
) -> Finding:
    return Finding(
        code=code, severity=severity, message=message, source=source, product=product.slug, field=field
    )


def _is_iv(product: Product) -> bool:
    return Route.IV in product.routes


# A check yields its findings for one product and patient, in the order they are listed.
Checks = Iterator[Finding]


def _excipients(factors: PatientFactors, product: Product, _i: Indication | None, _d: float | None) -> Checks:
    name = product.name
    if factors.iga_deficient_with_antibodies:
        iga = product.iga_text.display()
        yield _finding(
            "iga-deficiency-anti-iga",
            Severity.CONTRAINDICATION,
            f"{name} contains IgA ({iga}); contraindicated in IgA deficiency with anti-IgA antibodies "
            "and a history of hypersensitivity. Lowest IgA: Gammagard S/D (<1 ug/mL), Gammaplex 5% "
            "(<10), Gammaplex 10% (<20), Privigen (<=25): specialist decision.",
            f"product labels (docs/reference/risk.md s7 IgA; IgA content docs/reference/products.md s1: "
            f"{product.iga_text.source})",
            product,
        )
    if factors.hyperprolinaemia and product.contains_proline:
        yield _finding(
            "hyperprolinaemia-proline",
            Severity.CONTRAINDICATION,
            f"{name} is stabilised with L-proline: contraindicated in hyperprolinaemia type I or II.",
            "Hizentra EU SmPC; Privigen US label (docs/reference/risk.md s7)",
            product,
        )
    if factors.hereditary_fructose_intolerance and product.contains_sorbitol:
        yield _finding(
            "fructose-intolerance-sorbitol",
            Severity.CONTRAINDICATION,
            f"{name} contains sorbitol: contraindicated in hereditary fructose intolerance.",
            "Flebogamma, Gammaplex 5% labels (docs/reference/risk.md s7 sorbitol)",
            product,
        )
    elif product.contains_sorbitol and factors.age_years < INFANT_AGE_YEARS:
        yield _finding(
            "sorbitol-infant",
            Severity.CAUTION,
            f"{name} contains sorbitol: hereditary fructose intolerance may be undiagnosed in infants.",
            "docs/reference/risk.md s7 sorbitol ('infants with undiagnosed HFI')",
            product,
        )
    if not product.excipients_known and (
        factors.hyperprolinaemia
        or factors.hereditary_fructose_intolerance
        or not _meter_is_glucose_specific(factors)
    ):
        yield _finding(
            "excipients-unknown",
            Severity.CAUTION,
            f"{name}: stabiliser and sugars are not in label data; proline, sorbitol or maltose "
            "cannot be excluded for this patient. Check the local label.",
            f"{product.stabilisers.source}",
            product,
        )


def _meter_is_glucose_specific(factors: PatientFactors) -> bool:
    """Only a meter known to be glucose-specific rules maltose interference out; an unknown one does not."""
    return factors.glucose_meter is GlucoseMeter.GLUCOSE_SPECIFIC


def _sugars(factors: PatientFactors, product: Product, _i: Indication | None, _d: float | None) -> Checks:
    name = product.name
    if product.contains_maltose and not _meter_is_glucose_specific(factors):
        if factors.glucose_meter is GlucoseMeter.UNKNOWN:
            meter = "The patient's glucose meter type is not recorded"
        else:
            meter = f"The patient's meter ({factors.glucose_meter.value}) is one of them"
        yield _finding(
            "maltose-glucose-meter",
            Severity.CAUTION,
            f"{name} contains maltose: GDH-PQQ or glucose-dye-oxidoreductase meters read it as glucose "
            f"(falsely high values, insulin overdose, fatal hypoglycaemia). {meter}: check blood glucose "
            "only with a glucose-specific method.",
            "FDA safety communication (docs/reference/risk.md s7 maltose)",
            product,
            "product",
        )
    renal = renal_reasons(factors)
    if product.contains_sucrose and renal and _is_iv(product):
        yield _finding(
            "sucrose-renal-risk",
            Severity.CAUTION,
            f"{name} contains sucrose: renal dysfunction and acute renal failure are more common with "
            f"sucrose-containing products (patient: {', '.join(renal)}). Prefer a sucrose-free product; "
            f"if used, sucrose not above {SUCROSE_MAX_MG_PER_KG_PER_MIN:g} mg/kg/min.",
            "IVIG boxed warning (docs/reference/risk.md s7 renal); [HL] sucrose rate "
            "(docs/reference/products.md s3)",
            product,
        )


def _boxed_warnings(
    factors: PatientFactors, product: Product, _i: Indication | None, _d: float | None
) -> Checks:
    thrombosis = thrombosis_reasons(factors)
    renal = renal_reasons(factors) if _is_iv(product) else ()  # the renal boxed warning is on IVIG labels
    if thrombosis:
        yield _finding(
            "thrombosis-risk",
            Severity.CAUTION,
            f"Thrombosis risk factors: {', '.join(thrombosis)}. Give the minimum dose and rate "
            f"practicable, ensure adequate hydration; {_risk_cap_text(product)}",
            "boxed warning, all IVIG and SCIG labels (docs/reference/risk.md s7; rate caps "
            "docs/reference/products.md s3)",
            product,
        )
    if renal:
        yield _finding(
            "renal-risk",
            Severity.CAUTION,
            f"Renal risk factors: {', '.join(renal)}. Minimum dose and rate practicable, adequate "
            f"hydration, check BUN/creatinine before and during therapy; {_risk_cap_text(product)}",
            "boxed warning, IVIG labels (docs/reference/risk.md s7; rate caps docs/reference/products.md s3)",
            product,
        )


def _risk_cap_text(product: Product) -> str:
    caps = sorted(
        {
            limits.risk_max_rate_mg_per_kg_per_min.value
            for limits in product.iv_rates
            if limits.risk_max_rate_mg_per_kg_per_min.value is not None
        }
    )
    if not _is_iv(product):
        return "subcutaneous route: no IV rate cap applies."
    if caps:
        return f"rate capped at {', '.join(f'{c:g}' for c in caps)} mg/kg/min for at-risk patients."
    return "the label gives no numeric rate cap: apply the site's risk cap."


def _dose_related(
    factors: PatientFactors, product: Product, _i: Indication | None, dose_g_per_kg: float | None
) -> Checks:
    high_dose = dose_g_per_kg is not None and dose_g_per_kg >= HIGH_DOSE_G_PER_KG
    if high_dose and factors.blood_group in (BloodGroup.A, BloodGroup.B, BloodGroup.AB):
        yield _finding(
            "haemolysis-risk",
            Severity.CAUTION,
            f"Blood group {factors.blood_group.value} with a high dose ({dose_g_per_kg:g} g/kg >= "
            f"{HIGH_DOSE_G_PER_KG:g}): haemolysis risk during and up to days after the infusion; check "
            "haemoglobin if symptoms.",
            "Privigen safety information; CMAJ review (docs/reference/risk.md s7 haemolysis)",
            product,
        )
    elif high_dose and factors.blood_group is BloodGroup.UNKNOWN:
        yield _finding(
            "haemolysis-blood-group-unknown",
            Severity.INFO,
            f"High dose ({dose_g_per_kg:g} g/kg): haemolysis risk is higher with non-O blood groups; "
            "blood group not recorded.",
            "Privigen safety information; CMAJ review (docs/reference/risk.md s7 haemolysis)",
            product,
        )
    if high_dose and factors.migraine:
        yield _finding(
            "aseptic-meningitis-risk",
            Severity.CAUTION,
            f"Migraine history with a high dose ({dose_g_per_kg:g} g/kg): aseptic meningitis risk, onset "
            "within 2 days (up to 72 h); avoid rapid infusion.",
            "product labels (docs/reference/risk.md s7 aseptic meningitis)",
            product,
        )
    if factors.heart_failure_or_volume_concern and _is_iv(product):
        concentration = product.concentration_g_per_100ml.value
        dilute = concentration is not None and concentration < 10
        extra = f" {product.name} is a {concentration:g}% product: prefer 10% or more." if dilute else ""
        yield _finding(
            "volume-overload",
            Severity.CAUTION,
            "Heart failure or volume concern: high-dose regimens (e.g. 1 g/kg x 2 days) risk volume "
            f"overload; prefer 10% products.{extra}",
            "docs/reference/risk.md s7 volume overload",
            product,
        )


def _history(factors: PatientFactors, product: Product, _i: Indication | None, _d: float | None) -> Checks:
    if product.slug in factors.previous_reactions:
        yield _finding(
            "previous-reaction",
            Severity.CAUTION,
            f"The patient has reacted to {product.name} before: consider another product or "
            "premedication (acetaminophen plus an antihistamine 30-60 min before).",
            "docs/reference/monitoring.md s8 premedication and management",
            product,
        )
    if factors.first_infusion:
        yield _finding(
            "first-infusion",
            # Information, not a limit: the plan starts at the initial rate and the flowsheet observes
            # for 1 h after (s8); there is nothing for the prescriber to justify.
            Severity.INFO,
            "First infusion: anaphylaxis 22.9 per 10,000 first administrations vs 7.3 overall; start at "
            "the initial rate, observe throughout and for 1 h after; epinephrine available.",
            "Clin Exp Immunol 2021, PMC8561696; EU SmPCs (docs/reference/monitoring.md s8)",
            product,
        )
    if factors.pregnant:
        yield _finding(
            "pregnancy",
            Severity.CAUTION,
            "Pregnant: pregnancy is a hypercoagulable state (thrombosis risk); some policies dose on the "
            "pre-pregnancy or actual weight.",
            "docs/reference/dosing.md s6 (Ontario, BloodSTAR weight rules), docs/reference/risk.md s7 "
            "thrombosis risk factors",
            product,
        )


def _product_status(
    _f: PatientFactors, product: Product, indication: Indication | None, _d: float | None
) -> Checks:
    if indication is not None and indication not in product.indications:
        known = product.indication_notes.display()
        yield _finding(
            "off-label-indication",
            Severity.CAUTION,
            f"{product.name} is not labelled for {indication.value.upper()} (labelled: {known}); a "
            "written reason is needed.",
            product.indication_notes.source,
            product,
            field="product",
        )
    if product.discontinued:
        yield _finding(
            "discontinued-product",
            Severity.CAUTION,
            f"{product.name} is discontinued; its label data may be out of date.",
            "docs/reference/products.md s1",
            product,
        )
    if _is_iv(product):
        yield _finding(
            "trali-info",
            Severity.INFO,
            "TRALI: watch for respiratory distress, pulmonary oedema or hypoxaemia within 1-6 h.",
            "label warnings (docs/reference/risk.md s7)",
            product,
        )


def _label_age(
    factors: PatientFactors, product: Product, indication: Indication | None, _d: float | None
) -> Checks:
    """Say when the patient is younger than the label's age for this indication, or the age is unknown."""
    if indication is None or indication not in product.indications:
        return  # no label row to read (an unlabelled indication has its own caution)
    age = product.label_min_age(indication)
    label = f"{product.name} ({indication.value.upper()})"
    if age.known and age.value is not None and factors.age_years < age.value:
        yield _finding(
            "below-label-age",
            Severity.CAUTION,
            f"{label} is labelled from {age.value:g} years; the patient is "
            f"{age_text(factors.age_years)}. Use below the label age is off-label: give the reason.",
            age.source,
            product,
            "product",
        )
    elif not age.known and factors.age_years < ADULT_AGE_YEARS:
        yield _finding(
            "label-age-unknown",
            Severity.INFO,
            f"{label}: the youngest labelled age is not in label data; check the local label for a "
            f"patient of {age_text(factors.age_years)}.",
            age.source,
            product,
            "product",
        )


def age_text(years: float) -> str:
    """Say an age the way a ward does: days for a newborn, months under 2 years, whole years after."""
    if years >= 2:
        return f"{int(years)} years"
    months = int(years * 12)
    if months >= 1:
        return f"{months} month{'s' if months > 1 else ''}"
    days = round(years * 365.25)
    return f"{days} day{'s' if days != 1 else ''}"


_CHECKS = (_excipients, _sugars, _boxed_warnings, _dose_related, _history, _product_status, _label_age)

"""What the clinical core knows about a patient, and the findings it reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


class Severity(StrEnum):
    """The three levels smart-pump drug libraries use (docs/reference/dosing.md s13), plus contraindication.

    STOP is a hard limit: no reason unlocks it; only an audited change to the site's limit moves it.
    CONTRAINDICATION is a stop about the product for this patient. CAUTION is a soft limit: it goes on
    only with the prescriber's written reason, which the verifying pharmacist acknowledges. INFO informs.
    """

    STOP = "stop"
    CONTRAINDICATION = "contraindication"  # hard: the product must not be used for this patient
    CAUTION = "caution"  # soft: goes on only with a written reason
    INFO = "info"

    @property
    def blocks(self) -> bool:
        """Say whether this level stops the order (no reason can talk past it)."""
        return self is Severity.STOP or self is Severity.CONTRAINDICATION


class GlucoseMeter(StrEnum):
    UNKNOWN = "unknown"
    GLUCOSE_SPECIFIC = "glucose-specific"
    GDH_PQQ = "gdh-pqq"  # reads maltose as glucose (FDA safety communication)
    GLUCOSE_DYE_OXIDOREDUCTASE = "glucose-dye-oxidoreductase"


class BloodGroup(StrEnum):
    UNKNOWN = "unknown"
    O = "O"  # noqa: E741  (the blood group is called O)
    A = "A"
    B = "B"
    AB = "AB"


class ThrombosisRisk(StrEnum):
    """Boxed-warning thrombosis risk factors (all IVIG labels; docs/reference/risk.md s7)."""

    IMMOBILISATION = "immobilisation"
    HYPERCOAGULABLE = "hypercoagulable"
    PRIOR_THROMBOSIS = "prior-thrombosis"
    ESTROGENS = "estrogens"
    CENTRAL_CATHETER = "central-catheter"
    HYPERVISCOSITY = "hyperviscosity"
    CARDIOVASCULAR = "cardiovascular"


@dataclass(frozen=True, slots=True)
class PatientFactors:
    """Risk-relevant facts about one patient. Unknown stays None; it is never assumed normal."""

    age_years: float
    sex: Sex
    weight_kg: float
    height_cm: float | None = None
    pregnant: bool = False
    # Ontario doses pregnant patients on their pre-pregnancy weight (docs/reference/dosing.md s6).
    pre_pregnancy_weight_kg: float | None = None
    egfr_ml_per_min_per_1_73m2: float | None = None
    renal_impairment: bool = False  # known renal insufficiency, whatever the eGFR
    diabetes: bool = False
    glucose_meter: GlucoseMeter = GlucoseMeter.UNKNOWN
    thrombosis_risks: frozenset[ThrombosisRisk] = field(default_factory=frozenset)
    volume_depletion: bool = False
    sepsis: bool = False
    paraproteinaemia: bool = False
    nephrotoxic_drugs: bool = False
    iga_deficient_with_antibodies: bool = False
    hyperprolinaemia: bool = False
    hereditary_fructose_intolerance: bool = False
    heart_failure_or_volume_concern: bool = False
    blood_group: BloodGroup = BloodGroup.UNKNOWN
    migraine: bool = False
    previous_reactions: tuple[str, ...] = ()  # product slugs the patient reacted to
    first_infusion: bool = False


@dataclass(frozen=True, slots=True)
class Finding:
    """A warning, caution or contraindication with a stable code and the source that supports it."""

    code: str  # stable, kebab-case: "renal-risk-rate-cap", "maltose-glucose-meter"
    severity: Severity
    message: str
    source: str
    product: str | None = None  # product slug when the finding is product-specific
    # The order field it concerns ("dose", "days", "product", "weight", "route", "max_rate", "sc_dose"),
    # so pages show it there; empty = the order as a whole.
    field: str = ""


class CodedError(ValueError):
    """A refusal whose `code` is stable (for warnings and tests); the message says what to change."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code

    def as_stop(self, source: str, product: str | None = None, field: str = "") -> Finding:
        """The refusal as a stop finding, for a plan that lists it instead of raising."""
        return Finding(self.code, Severity.STOP, str(self), source, product, field)

"""Conservation proposals per patient: drafts a prescriber may accept, each with the grams it would save.

The measures are those the shortage plans and Ontario's toolkit name (docs/reference/supply.md s15): the
lowest effective dose with review, dosing to the IgG trough, rounding down to whole vials within a tolerance,
moving suitable patients to SCIG; and two the labels allow: a longer interval within the labelled range
(docs/reference/dosing.md s5), and another product whose vials waste less. Every number is either from a
source named beside it or a site setting. A measure that does not apply, or would not save grams, gives a
`NotApplicable` with the reason instead of a proposal.

Grams are dispensed grams (whole vials, the dosing engine's `plan_vials`): the saving is the current regimen's
grams per day minus the proposal's, over 12 weeks and a year.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from ivig.clinical.catalog.model import Product, Route
from ivig.clinical.pk.regimen import DAYS_PER_WEEK, RegimenSuggestion
from ivig.clinical.scig import ScPlanError, weekly_sc_dose_g
from ivig.clinical.settings import RoundingRule
from ivig.clinical.supply.forecast import whole_vials
from ivig.clinical.supply.model import ProductInfo, SupplyInputError
from ivig.clinical.supply.terms import SITE_DECISION, Category

DAYS_PER_12_WEEKS = 84
DAYS_PER_YEAR = 365
SUPPLY_S15 = (
    "conservation measures of the shortage plans and Ontario's toolkit (docs/reference/supply.md s15)"
)
LABEL_INTERVALS_S5 = "PI and secondary immunodeficiency labels: every 3-4 weeks (docs/reference/dosing.md s5)"
PK_FIT_SOURCE = "the patient's PK fit (docs/reference/pharmacokinetics.md s9)"
SC_FACTOR_S4 = "IV-to-SC factor of the product label (docs/reference/dosing.md s4)"
SWITCH_NOTES = (
    "A product switch: plan the first infusion of the new product at first-infusion rates with the longer "
    "observation.",
    "Re-run the risk screening and check the reaction history for the new product.",
    "Tell the patient and the nurse about the new product.",
)


class ProposalKind(StrEnum):
    LOWEST_EFFECTIVE_DOSE = "lowest-effective-dose"
    LONGER_INTERVAL = "longer-interval"
    TROUGH_GUIDED = "trough-guided"
    SCIG = "scig"
    VIAL_MIX = "vial-mix"  # rounding down within the tolerance, or another product wasting less


@dataclass(frozen=True, slots=True)
class ConservationSettings:
    # Site decision: no source gives the step of a dose-reduction trial.
    reduction_fraction: float = 0.8
    # Site decision: when the dose trial is reviewed.
    review_after_weeks: int = 12
    # Longest maintenance interval per indication code; PI and SID: 4 weeks (labels, s5). Others: the site's.
    max_interval_days: Mapping[str, int] = field(
        default_factory=lambda: MappingProxyType({"pi": 28, "sid": 28})
    )
    max_interval_source: str = LABEL_INTERVALS_S5
    # The site's IV-to-SC factor (e.g. 1.0 where SC is dosed gram for gram); None: the product label's (s4).
    sc_factor: float | None = None
    sc_factor_source: str = SITE_DECISION
    rounding_rule: RoundingRule = RoundingRule.NEAREST_VIAL
    rounding_tolerance_pct: float = 10.0  # site setting (docs/reference/dosing.md s6)
    source: str = SITE_DECISION

    def __post_init__(self) -> None:
        if not 0 < self.reduction_fraction < 1:
            raise SupplyInputError("the dose reduction fraction must be between 0 and 1")
        if self.review_after_weeks < 1:
            raise SupplyInputError("the review must be at least a week after the start")
        if self.sc_factor is not None and not self.sc_factor > 0:
            raise SupplyInputError("the IV-to-SC factor must be above 0")


@dataclass(frozen=True, slots=True)
class TroughDose:
    """The dose the patient's PK fit suggests for a target trough (`ivig.clinical.pk.regimen`)."""

    dose_g: float
    interval_days: int
    target_trough_g_per_l: float
    source: str = PK_FIT_SOURCE

    @classmethod
    def from_suggestion(cls, suggestion: RegimenSuggestion, source: str | None = None) -> TroughDose | None:
        """None when the fit gives no dose (the baseline alone reaches the target)."""
        dose = suggestion.dispensed_g or suggestion.dose_g
        if dose is None:
            return None
        interval = round(suggestion.interval_weeks * DAYS_PER_WEEK)
        return cls(dose, interval, suggestion.target_trough_g_per_l, source or PK_FIT_SOURCE)


@dataclass(frozen=True, slots=True)
class PatientRegimen:
    """A patient's current maintenance order, as the proposals need it."""

    patient_id: str
    order_id: str
    indication: str  # the site's indication code, e.g. "pi"
    product: ProductInfo
    route: Route
    dose_g: float  # per infusion (prescribed)
    interval_days: int
    category: Category | None = None
    trough: TroughDose | None = None
    on_dose_trial: bool = False  # a dose trial is already running
    patient_name: str = ""

    def __post_init__(self) -> None:
        if not self.dose_g > 0 or self.interval_days < 1:
            raise SupplyInputError(f"order {self.order_id}: dose and interval must be above 0")


@dataclass(frozen=True, slots=True)
class Proposal:
    kind: ProposalKind
    patient_id: str
    order_id: str
    product: str  # slug of the proposed product
    route: Route
    dose_g: float  # proposed dispensed grams per infusion
    interval_days: int
    current_dose_g: float  # current dispensed grams per infusion
    current_interval_days: int
    rationale: str
    safety_notes: tuple[str, ...]
    sources: tuple[str, ...]
    review_after_weeks: int | None = None  # set when the proposal is a dose trial with review
    product_switch: bool = False

    @property
    def saved_g_per_day(self) -> float:
        return self.current_dose_g / self.current_interval_days - self.dose_g / self.interval_days

    @property
    def saved_g_per_12_weeks(self) -> float:
        return round(self.saved_g_per_day * DAYS_PER_12_WEEKS, 1)

    @property
    def saved_g_per_year(self) -> float:
        return round(self.saved_g_per_day * DAYS_PER_YEAR, 1)

    @property
    def dose_trial(self) -> bool:
        return self.review_after_weeks is not None


@dataclass(frozen=True, slots=True)
class NotApplicable:
    kind: ProposalKind
    patient_id: str
    reason: str


Outcome = Proposal | NotApplicable


def dispensed_g(
    grams: float, sizes_g: Sequence[float], settings: ConservationSettings, rule: RoundingRule | None = None
) -> float:
    """Grams dispensed in whole vials for one infusion (the prescribed grams when the sizes are unknown)."""
    return whole_vials(
        grams, tuple(sorted(sizes_g)), rule or settings.rounding_rule, settings.rounding_tolerance_pct
    )[0]


def _current(regimen: PatientRegimen, settings: ConservationSettings) -> float:
    return dispensed_g(regimen.dose_g, regimen.product.vial_sizes_g, settings)


def _proposal(
    kind: ProposalKind,
    regimen: PatientRegimen,
    settings: ConservationSettings,
    *,
    dose_g: float,
    interval_days: int,
    rationale: str,
    notes: Iterable[str],
    sources: Iterable[str],
    product: ProductInfo | None = None,
    route: Route | None = None,
    review: int | None = None,
) -> Outcome:
    proposal = Proposal(
        kind=kind,
        patient_id=regimen.patient_id,
        order_id=regimen.order_id,
        product=(product or regimen.product).slug,
        route=route or regimen.route,
        dose_g=round(dose_g, 2),
        interval_days=interval_days,
        current_dose_g=round(_current(regimen, settings), 2),
        current_interval_days=regimen.interval_days,
        rationale=rationale,
        safety_notes=tuple(notes),
        sources=tuple(sources),
        review_after_weeks=review,
        product_switch=product is not None and product.slug != regimen.product.slug,
    )
    if proposal.saved_g_per_day <= 1e-9:
        return NotApplicable(kind, regimen.patient_id, f"it would not save grams: {rationale}")
    return proposal


def propose_lowest_effective_dose(regimen: PatientRegimen, settings: ConservationSettings) -> Outcome:
    """A dose-reduction trial: the dose times the site's fraction, in whole vials, reviewed after N weeks."""
    kind = ProposalKind.LOWEST_EFFECTIVE_DOSE
    if regimen.on_dose_trial:
        return NotApplicable(kind, regimen.patient_id, "a dose trial is already running")
    new = dispensed_g(regimen.dose_g * settings.reduction_fraction, regimen.product.vial_sizes_g, settings)
    return _proposal(
        kind,
        regimen,
        settings,
        dose_g=new,
        interval_days=regimen.interval_days,
        rationale=f"lowest effective dose: {settings.reduction_fraction:.0%} of the current dose, "
        f"reviewed after {settings.review_after_weeks} weeks as a dose trial",
        notes=(
            "Review infections (or the disease measure) and the IgG trough before the review date; go back "
            "to the previous dose if the patient gets worse.",
        ),
        sources=(SUPPLY_S15, f"fraction and review: {settings.source}"),
        review=settings.review_after_weeks,
    )


def propose_longer_interval(regimen: PatientRegimen, settings: ConservationSettings) -> Outcome:
    """The same dose at the longest interval the site allows for the indication (PI/SID: 4 weeks, s5)."""
    kind = ProposalKind.LONGER_INTERVAL
    if regimen.route is Route.SC:
        return NotApplicable(
            kind,
            regimen.patient_id,
            "SCIG every 2 weeks is twice the weekly dose (docs/reference/dosing.md s4): no grams saved",
        )
    longest = settings.max_interval_days.get(regimen.indication)
    if longest is None:
        return NotApplicable(
            kind, regimen.patient_id, f"the site has not set a longest interval for {regimen.indication!r}"
        )
    if regimen.interval_days >= longest:
        return NotApplicable(
            kind,
            regimen.patient_id,
            f"already every {regimen.interval_days} days (the longest allowed is {longest} days)",
        )
    return _proposal(
        kind,
        regimen,
        settings,
        dose_g=_current(regimen, settings),
        interval_days=longest,
        rationale=f"the same dose every {longest} days instead of every {regimen.interval_days}",
        notes=(
            "The trough falls with a longer interval: check the IgG trough before the next dose and watch "
            "for infections at the end of the interval.",
        ),
        sources=(settings.max_interval_source,),
        review=settings.review_after_weeks,
    )


def propose_trough_guided(regimen: PatientRegimen, settings: ConservationSettings) -> Outcome:
    """The dose the PK fit gives for the target trough; refused without a fit."""
    kind = ProposalKind.TROUGH_GUIDED
    trough = regimen.trough
    if trough is None:
        return NotApplicable(kind, regimen.patient_id, "no PK fit: record IgG levels and fit them first")
    new = dispensed_g(trough.dose_g, regimen.product.vial_sizes_g, settings)
    return _proposal(
        kind,
        regimen,
        settings,
        dose_g=new,
        interval_days=trough.interval_days,
        rationale=f"dose to a trough of {trough.target_trough_g_per_l:g} g/L from the PK fit",
        notes=(
            "Check the IgG trough after two doses and the clinical response; the fit's band is shown on "
            "the PK page.",
        ),
        sources=(SUPPLY_S15, trough.source),
        review=settings.review_after_weeks,
    )


def propose_scig(
    regimen: PatientRegimen, settings: ConservationSettings, sc_products: Sequence[Product]
) -> Outcome:
    """Weekly SCIG: factor x IV dose / weeks between IV doses (s4), in whole vials of the SC product."""
    kind = ProposalKind.SCIG
    if regimen.route is Route.SC:
        return NotApplicable(kind, regimen.patient_id, "already on SCIG")
    best: Outcome = NotApplicable(kind, regimen.patient_id, "no SC product with an IV-to-SC factor")
    weeks = regimen.interval_days / DAYS_PER_WEEK
    for product in sc_products:
        if Route.SC not in product.routes:
            continue
        try:
            weekly = (
                settings.sc_factor * regimen.dose_g / weeks
                if settings.sc_factor is not None
                else weekly_sc_dose_g(product, regimen.dose_g, weeks)
            )
        except ScPlanError:
            continue
        source = settings.sc_factor_source if settings.sc_factor is not None else SC_FACTOR_S4
        factor = settings.sc_factor if settings.sc_factor is not None else weekly * weeks / regimen.dose_g
        info = ProductInfo.of(product)
        outcome = _proposal(
            kind,
            regimen,
            settings,
            dose_g=dispensed_g(weekly, info.vial_sizes_g, settings),
            interval_days=7,
            rationale=f"weekly SCIG ({product.name}) at {factor:g} x the IV dose per week",
            notes=(
                "Moving to SCIG needs training and a patient able to self-infuse; check the IgG trough after "
                "the change.",
                *SWITCH_NOTES,
            ),
            sources=(SUPPLY_S15, f"factor: {source}"),
            product=info,
            route=Route.SC,
        )
        if (
            isinstance(outcome, Proposal)
            and (not isinstance(best, Proposal) or outcome.saved_g_per_day > best.saved_g_per_day)
        ) or (isinstance(outcome, NotApplicable) and not isinstance(best, Proposal)):
            best = outcome
    return best


def propose_vial_mix(
    regimen: PatientRegimen, settings: ConservationSettings, alternatives: Sequence[ProductInfo] = ()
) -> Outcome:
    """Round down to whole vials within the tolerance (s15), else another product whose vials waste less.

    `alternatives`: products the site stocks that suit the patient's route and indication (caller filters).
    """
    kind = ProposalKind.VIAL_MIX
    current = _current(regimen, settings)
    down = dispensed_g(regimen.dose_g, regimen.product.vial_sizes_g, settings, RoundingRule.ROUND_DOWN)
    if down < current - 1e-9:
        return _proposal(
            kind,
            regimen,
            settings,
            dose_g=down,
            interval_days=regimen.interval_days,
            rationale=f"round down to whole vials within {settings.rounding_tolerance_pct:g} %",
            notes=("The dose given is up to the tolerance below the prescribed dose.",),
            sources=(SUPPLY_S15, "tolerance: site setting (docs/reference/dosing.md s6)"),
        )
    options = [
        (dispensed_g(regimen.dose_g, alt.vial_sizes_g, settings), alt.slug, alt)
        for alt in alternatives
        if alt.slug != regimen.product.slug and alt.vial_sizes_g
    ]
    if not options:
        return NotApplicable(
            kind, regimen.patient_id, "the vials already match the dose and no other product was offered"
        )
    grams, _, alt = min(options, key=lambda o: (o[0], o[1]))
    return _proposal(
        kind,
        regimen,
        settings,
        dose_g=grams,
        interval_days=regimen.interval_days,
        rationale=f"{alt.name}'s vials make {grams:g} g for this dose, against {current:g} g now",
        notes=SWITCH_NOTES,
        sources=("vial sizes: product labels (docs/reference/products.md s2)",),
        product=alt,
    )


@dataclass(frozen=True, slots=True)
class PatientProposals:
    regimen: PatientRegimen
    proposals: tuple[Proposal, ...]
    not_applicable: tuple[NotApplicable, ...]

    @property
    def best(self) -> Proposal | None:
        return max(self.proposals, key=lambda p: p.saved_g_per_day, default=None)


def proposals_for(
    regimen: PatientRegimen,
    settings: ConservationSettings | None = None,
    *,
    sc_products: Sequence[Product] = (),
    alternatives: Sequence[ProductInfo] = (),
) -> PatientProposals:
    """Every measure for one patient: proposals that save grams and the reasons the others do not apply."""
    settings = settings or ConservationSettings()
    outcomes = (
        propose_lowest_effective_dose(regimen, settings),
        propose_longer_interval(regimen, settings),
        propose_trough_guided(regimen, settings),
        propose_scig(regimen, settings, sc_products),
        propose_vial_mix(regimen, settings, alternatives),
    )
    return PatientProposals(
        regimen,
        tuple(o for o in outcomes if isinstance(o, Proposal)),
        tuple(o for o in outcomes if isinstance(o, NotApplicable)),
    )


@dataclass(frozen=True, slots=True)
class ConservationTotals:
    patients: int
    proposals: int
    saved_g_per_12_weeks_by_kind: tuple[tuple[ProposalKind, float], ...]
    # One measure per patient (the largest saving), since measures overlap and do not add up.
    best_saved_g_per_12_weeks: float
    best_saved_g_per_year: float


def conservation_totals(items: Iterable[PatientProposals]) -> ConservationTotals:
    """Totals across patients: per measure if every patient took it, and one best measure per patient."""
    by_kind: dict[ProposalKind, float] = dict.fromkeys(ProposalKind, 0.0)
    patients = count = 0
    best_12 = best_year = 0.0
    for item in items:
        patients += 1
        count += len(item.proposals)
        for p in item.proposals:
            by_kind[p.kind] += p.saved_g_per_12_weeks
        if item.best is not None:
            best_12 += item.best.saved_g_per_12_weeks
            best_year += item.best.saved_g_per_year
    return ConservationTotals(
        patients,
        count,
        tuple((k, round(v, 1)) for k, v in by_kind.items()),
        round(best_12, 1),
        round(best_year, 1),
    )

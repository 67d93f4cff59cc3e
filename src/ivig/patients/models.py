"""Patients, their dated heights and weights, and their allergies."""

from __future__ import annotations

import unicodedata
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, QuerySet
from django.db.models.functions import Upper
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ivig import clock
from ivig.clinical.identity import (
    MRN_MAX_LENGTH,
    birth_date_problem,
    mrn_problem,
    normalise_mrn,
    text_problem,
)
from ivig.lib.models import LastUpdated, RecordedBy
from ivig.siteconfig.models import CareSite

# Plausible human limits for entry checks (issue 2): a 0.3 kg extremely preterm infant up to 350 kg;
# 20 cm (preterm length) up to 250 cm.
MIN_WEIGHT_KG = Decimal("0.3")
MAX_WEIGHT_KG = Decimal("350")
MIN_HEIGHT_CM = Decimal("20")
MAX_HEIGHT_CM = Decimal("250")


def validate_mrn(value: str) -> None:
    """The MRN rules of ``ivig.clinical.identity`` (the value is normalised first, as it is stored)."""
    problem = mrn_problem(normalise_mrn(value))
    if problem:
        raise ValidationError(problem, code="invalid_mrn")


def validate_birth_date(value: date) -> None:
    problem = birth_date_problem(value, clock.localdate())
    if problem:
        raise ValidationError(problem, code="implausible_birth_date")


def validate_name(value: str) -> None:
    problem = text_problem(value, "name")
    if problem:
        raise ValidationError(problem, code="invalid_name")


def search_key(text: str) -> str:
    """Fold case and accents so "Zoë" is found by "zoe"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


M = TypeVar("M", bound=models.Model)


class PatientQuerySet(models.QuerySet["Patient"]):
    def search(self, query: str) -> PatientQuerySet:
        """Match an MRN (exact or prefix) or names: every word must start a family or given name."""
        words = search_key(query).replace(",", " ").split()
        if not words:
            return self.none()
        # MRNs are stored normalised (save() and migration 0004): a prefix of the normalised query reads the
        # MRN index, where an upper-cased LIKE read all 100,000 rows (40 ms a search, bench/load.py).
        by_mrn = Q(mrn__startswith=normalise_mrn(query))
        by_name = Q()
        for word in words:
            by_name &= Q(family_key__startswith=word) | Q(given_key__startswith=word)
        return self.filter(by_mrn | by_name)

    def visible_to(self, user: Any) -> PatientQuerySet:
        if user.has_perm("patients.view_patient"):
            return self
        if user.has_perm("patients.view_own_record"):
            return self.linked_to(user)
        return self.none()

    def scope(self, rows: QuerySet[M], field: str = "patient") -> QuerySet[M]:
        """`rows` whose `field` is one of these patients. Staff who see every patient get `rows` as they are:
        an `IN (every patient)` makes the database join the whole patient table for nothing."""
        if not self.query.has_filters() and not self.query.is_empty():
            return rows
        return rows.filter(**{f"{field}__in": self})

    def visible_or_404(self, user: Any, pk: int) -> Patient:
        """The patient `pk` if `user` may see it; else 404, not 403: the portal must not reveal who is a
        patient here."""
        try:
            return self.visible_to(user).select_related("care_site").get(pk=pk)
        except Patient.DoesNotExist:
            raise Http404("No such patient") from None

    def linked_to(self, user: Any) -> PatientQuerySet:
        """The patients a portal account is linked to: the original one-to-one link, or any of its portal
        links (a parent, several children)."""
        return self.filter(Q(portal_user_id=user.pk) | Q(portal_links__user_id=user.pk)).distinct()


class Patient(models.Model):
    class SexAtBirth(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        UNKNOWN = "unknown", _("Unknown or not recorded")

    # Stored normalised (clean_fields and save): upper-case, no blanks at the ends; unique whatever the case.
    mrn = models.CharField(
        "medical record number", max_length=MRN_MAX_LENGTH, unique=True, validators=[validate_mrn]
    )
    given_name = models.CharField(max_length=100, validators=[validate_name])
    family_name = models.CharField(max_length=100, validators=[validate_name])
    given_key = models.CharField(max_length=100, editable=False, db_index=True)
    family_key = models.CharField(max_length=100, editable=False, db_index=True)
    date_of_birth = models.DateField(validators=[validate_birth_date])
    sex_at_birth = models.CharField(max_length=10, choices=SexAtBirth.choices)
    care_site = models.ForeignKey(
        CareSite, null=True, blank=True, on_delete=models.PROTECT, related_name="patients"
    )
    # Where a home-infusion nurse treats the patient: the address for people, the coordinates (WGS84 degrees)
    # for the route planner's travel times. Both optional; a home visit without coordinates is not routed.
    home_address = models.TextField("home address", blank=True)
    home_latitude = models.DecimalField(
        "home latitude (degrees)",
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))],
    )
    home_longitude = models.DecimalField(
        "home longitude (degrees)",
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))],
    )
    portal_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="patient_record",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["given_key", "family_key", "updated_at"])

    objects = PatientQuerySet.as_manager()

    class Meta:
        ordering = ["family_key", "given_key", "mrn"]
        permissions = [("view_own_record", "Can view their own record through the portal")]
        constraints = [
            models.CheckConstraint(condition=~Q(mrn=""), name="patient_mrn_not_blank"),
            # Both coordinates or neither: half a location cannot be routed.
            models.CheckConstraint(
                condition=Q(home_latitude__isnull=True, home_longitude__isnull=True)
                | Q(home_latitude__isnull=False, home_longitude__isnull=False),
                name="patient_home_both_coordinates",
            ),
            # `rb100001` beside `RB100001` would be two records for what every page shows as one number. The
            # actions store MRNs upper-cased; this holds even for rows written around them (bulk_create).
            models.UniqueConstraint(
                Upper("mrn"),
                name="patient_mrn_unique_any_case",
                violation_error_message="Another patient already has this medical record number.",
            ),
        ]
        indexes = [
            # The recall lookback joins each receipt to its patient from this index alone on PostgreSQL
            # (ivig.hemovigilance.receipts; bench/lookback.py). SQLite keeps the key only.
            models.Index(
                fields=["id"],
                include=["mrn", "given_name", "family_name", "date_of_birth", "care_site"],
                name="patient_lookback",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.family_name.upper()}, {self.given_name} ({self.mrn})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.mrn = normalise_mrn(self.mrn or "")
        self.given_key = search_key(self.given_name)
        self.family_key = search_key(self.family_name)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if (self.home_latitude is None) != (self.home_longitude is None):
            raise ValidationError(
                {"home_longitude": "Give both the latitude and the longitude of the home, or neither."}
            )

    @property
    def home_location(self) -> tuple[float, float] | None:
        """(latitude, longitude) in degrees, or None when the home has no coordinates."""
        if self.home_latitude is None or self.home_longitude is None:
            return None
        return float(self.home_latitude), float(self.home_longitude)

    def clean_fields(self, exclude: Any = None) -> None:
        self.mrn = normalise_mrn(self.mrn or "")  # checked and compared as it will be stored
        super().clean_fields(exclude=exclude)

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def age_on(self, day: date) -> tuple[int, int]:
        """Return (whole years, remaining whole months) on `day`."""
        months = (day.year - self.date_of_birth.year) * 12 + day.month - self.date_of_birth.month
        if day.day < self.date_of_birth.day:
            months -= 1
        return divmod(max(months, 0), 12)

    def age_text(self, day: date) -> str:
        years, months = self.age_on(day)
        if years >= 2:
            return gettext("%(years)s y") % {"years": years}
        return gettext("%(months)s mo") % {"months": years * 12 + months}

    def latest_weight(self) -> Measurement | None:
        return self.measurements.filter(weight_kg__isnull=False).order_by("-measured_at", "-id").first()

    def latest_height(self) -> Measurement | None:
        return self.measurements.filter(height_cm__isnull=False).order_by("-measured_at", "-id").first()


class Measurement(RecordedBy, LastUpdated):
    """A dated weight and/or height, kept forever: a new weight is a new row, never an overwrite."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="measurements")
    measured_at = models.DateTimeField()
    weight_kg = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    height_cm = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-measured_at", "-id"]
        indexes = [models.Index(fields=["patient", "-measured_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight_kg__isnull=False) | Q(height_cm__isnull=False),
                name="measurement_has_value",
            ),
            models.CheckConstraint(
                condition=Q(weight_kg__isnull=True)
                | Q(weight_kg__gte=MIN_WEIGHT_KG, weight_kg__lte=MAX_WEIGHT_KG),
                name="measurement_weight_range",
            ),
            models.CheckConstraint(
                condition=Q(height_cm__isnull=True)
                | Q(height_cm__gte=MIN_HEIGHT_CM, height_cm__lte=MAX_HEIGHT_CM),
                name="measurement_height_range",
            ),
        ]

    def __str__(self) -> str:
        parts = [
            f"{self.weight_kg} kg" if self.weight_kg is not None else "",
            f"{self.height_cm} cm" if self.height_cm is not None else "",
        ]
        return f"{' / '.join(p for p in parts if p)} on {self.measured_at:%Y-%m-%d}"


class Allergy(RecordedBy):
    class Severity(models.TextChoices):
        MILD = "mild", _("Mild")
        MODERATE = "moderate", _("Moderate")
        SEVERE = "severe", _("Severe (anaphylaxis)")
        UNKNOWN = "unknown", _("Unknown")

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="allergies")
    substance = models.CharField(max_length=120)
    reaction = models.CharField(max_length=200, blank=True)
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.UNKNOWN)
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-active", "substance"]
        verbose_name_plural = "allergies"

    def __str__(self) -> str:
        return self.substance


class LabResult(RecordedBy, LastUpdated):
    """A dated laboratory value in the unit stored for its kind; entered on an order or imported later."""

    class Kind(models.TextChoices):
        # Units are the ones stored; forms convert at the edge. LOINC codes: docs/reference/codes.md s11.
        IGG = "igg", "IgG (g/L)"
        PLATELETS = "platelets", "Platelets (x10^9/L)"
        CREATININE = "creatinine", "Creatinine (umol/L)"
        EGFR = "egfr", "eGFR (mL/min/1.73 m2)"
        HAEMOGLOBIN = "haemoglobin", "Haemoglobin (g/L)"

    # Plausible stored ranges: outside them the value is a unit or typing error, not a patient.
    PLAUSIBLE = {
        Kind.IGG: (Decimal("0"), Decimal("60")),
        Kind.PLATELETS: (Decimal("0"), Decimal("2000")),
        Kind.CREATININE: (Decimal("5"), Decimal("3000")),
        Kind.EGFR: (Decimal("1"), Decimal("250")),
        Kind.HAEMOGLOBIN: (Decimal("20"), Decimal("250")),
    }

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="lab_results")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    value = models.DecimalField(max_digits=8, decimal_places=2)
    taken_on = models.DateField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-taken_on", "-id"]
        indexes = [models.Index(fields=["patient", "kind", "-taken_on"])]
        constraints = [models.CheckConstraint(condition=Q(value__gte=0), name="labresult_value_not_negative")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value} on {self.taken_on:%Y-%m-%d}"


def validate_system_uri(value: str) -> None:
    """An identifier system is an absolute URI (``https://...``, ``urn:oid:...``), as Identifier.system."""
    scheme, colon, rest = value.partition(":")
    if (
        not colon
        or not rest
        or not scheme.isascii()
        or not scheme.isalpha()
        or any(ch.isspace() for ch in value)
    ):
        raise ValidationError(
            "Give the system as an absolute URI, for example https://hospital.example/mrn or urn:oid:1.2.3.",
            code="invalid_system",
        )
    problem = text_problem(value, "system")
    if problem:
        raise ValidationError(problem, code="invalid_system")


def validate_identifier_value(value: str) -> None:
    problem = text_problem(value, "identifier") or (
        "The identifier has blanks at its ends." if value != value.strip() else None
    )
    if problem:
        raise ValidationError(problem, code="invalid_identifier")


class IdentifierSystem(models.Model):
    """Another organisation's patient identifier system that the FHIR import may trust (the site table).

    An identifier whose system is neither ours (settings.FHIR_MRN_SYSTEM) nor listed here, and active, is
    refused: that is how another hospital's MRN RB100001 was once filed under our RB100001. Kept by an
    administrator in the Django admin; every change is audited.
    """

    class Use(models.TextChoices):
        MRN = "mrn", _("Our MRNs under another name: its values are our medical record numbers")
        EXTERNAL = (
            "external",
            _("Another organisation's numbers: kept beside our MRN, matched only among those imported"),
        )

    uri = models.CharField(
        "system URI",
        max_length=255,
        unique=True,
        validators=[validate_system_uri],
        help_text="Identifier.system exactly as the other system sends it, e.g. https://hospital.example/mrn.",
    )
    name = models.CharField(max_length=100, help_text="Whose numbers these are, e.g. “St Elsewhere EHR MRN”.")
    use = models.CharField(
        max_length=10,
        choices=Use.choices,
        help_text="Choose “our MRNs” only when that system numbers patients exactly as we do: a wrong choice "
        "files one hospital's results under another's patient with the same number.",
    )
    active = models.BooleanField(
        default=True, help_text="Inactive: refused at import like an unknown system."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(use__in=["mrn", "external"]), name="identifiersystem_use"),
            models.CheckConstraint(condition=~Q(name=""), name="identifiersystem_name_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.uri})"

    def clean(self) -> None:
        if self.uri and self.uri == settings.FHIR_MRN_SYSTEM:
            raise ValidationError(
                {"uri": "This is our own MRN system (FHIR_MRN_SYSTEM): it needs no mapping."}
            )


class PatientIdentifier(RecordedBy):
    """Another system's identifier of a patient (an EHR's MRN), kept as it was received beside our MRN.

    The FHIR Patient resource lists it, and conditional references with its system find the patient.
    """

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="identifiers")
    system = models.CharField(max_length=255, validators=[validate_system_uri])
    value = models.CharField(max_length=64, validators=[validate_identifier_value])

    class Meta:
        ordering = ["system", "value"]
        constraints = [
            # One identifier of one system names one patient.
            models.UniqueConstraint(fields=["system", "value"], name="patientidentifier_unique"),
            models.CheckConstraint(
                condition=~Q(system="") & ~Q(value=""), name="patientidentifier_not_blank"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.system}|{self.value}"

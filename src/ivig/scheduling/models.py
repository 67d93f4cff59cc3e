"""The infusion centre's resources (chairs, nurse shifts, hours) and its appointments.

Times of day are the centre's local time (settings.TIME_ZONE); an appointment's start and end are
timezone-aware. The day's plan is checked by the clinical core's checker before anything is saved
(`ivig.clinical.scheduling`, via `day.py`).
"""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ivig.audit.constraints import both_or_neither, paired
from ivig.lib.models import LastUpdated, SingleRow
from ivig.orders.models import TherapyOrder
from ivig.patients.models import Patient

USER = settings.AUTH_USER_MODEL
SITE = "site decision (no source sets it)"
OBSERVATION_SOURCE = (
    "docs/reference/monitoring.md s8: EU SmPCs, observe >= 20 min after the infusion; first infusion, "
    "product switch or "
    "gap > 8 weeks: 1 h after"
)


class CentreHours(SingleRow):
    """The centre's opening hours and the minutes added around each infusion. One row (pk=1)."""

    day_start = models.TimeField("opens", default=time(8, 0))
    day_end = models.TimeField("closes", default=time(18, 0))
    max_overtime_min = models.PositiveSmallIntegerField(
        "overtime allowed (min)", default=60, validators=[MaxValueValidator(360)], help_text=SITE
    )
    slot_min = models.PositiveSmallIntegerField(
        "booking grid (min)", default=5, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    setup_min = models.PositiveSmallIntegerField(
        "set-up before the infusion (min)",
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=f"The nurse is fully busy for it. {SITE}",
    )
    observation_min = models.PositiveSmallIntegerField(
        "observation after the infusion (min)", default=20, help_text=OBSERVATION_SOURCE
    )
    first_infusion_observation_min = models.PositiveSmallIntegerField(
        "observation after a first infusion (min)", default=60, help_text=OBSERVATION_SOURCE
    )
    turnover_min = models.PositiveSmallIntegerField(
        "chair turnover (min)", default=10, validators=[MaxValueValidator(120)], help_text=SITE
    )
    handover_minutes = models.PositiveSmallIntegerField(
        "handover at a shift change (min)",
        null=True,
        blank=True,
        default=15,
        validators=[MaxValueValidator(120)],
        help_text="A long infusion may pass to the next nurse where a nurse's shift ends; both stay at the "
        f"chair this long and both count the patient. Empty: one nurse watches each whole infusion. {SITE}",
    )
    pharmacy_lead_min = models.PositiveSmallIntegerField(
        "pharmacy preparation lead time (min)",
        default=60,
        validators=[MaxValueValidator(24 * 60)],
        help_text=f"No same-day booking starts sooner than this from now. {SITE}",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "centre hours"
        verbose_name_plural = "centre hours"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="centre_hours_single_row"),
            models.CheckConstraint(
                condition=Q(day_end__gt=F("day_start")), name="centre_hours_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day_start:%H:%M}-{self.day_end:%H:%M}"


class Chair(LastUpdated):
    name = models.CharField(max_length=40, unique=True)
    bed = models.BooleanField(default=False)
    isolation = models.BooleanField("isolation room", default=False)
    paediatric = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def features(self) -> list[str]:
        return [name for name in ("bed", "isolation", "paediatric") if getattr(self, name)]


class NurseShift(models.Model):
    """One nurse's shift on one day: in the centre (watching up to max_watching) or on home visits."""

    nurse = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="shifts")
    day = models.DateField(db_index=True)
    start = models.TimeField()
    end = models.TimeField()
    max_watching = models.PositiveSmallIntegerField(
        default=4, validators=[MinValueValidator(1), MaxValueValidator(12)], help_text=SITE
    )
    home_visits = models.BooleanField("home-infusion shift", default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["day", "start", "nurse__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["nurse", "day"], name="nurseshift_one_per_day"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="nurseshift_end_after_start"),
            models.CheckConstraint(condition=Q(max_watching__gte=1), name="nurseshift_watches_one"),
        ]

    def __str__(self) -> str:
        return f"{self.nurse.display_name} {self.day} {self.start:%H:%M}-{self.end:%H:%M}"


class Appointment(LastUpdated):
    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        ARRIVED = "arrived", "Arrived"
        STARTED = "started", "Started"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"
        NO_SHOW = "no_show", "No-show"

    # Holding a chair and a nurse on the day.
    ACTIVE = (Status.BOOKED, Status.ARRIVED, Status.STARTED, Status.COMPLETED)
    # Kept where they are when the day is optimised again.
    FIXED = (Status.ARRIVED, Status.STARTED, Status.COMPLETED)

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="appointments")
    order = models.ForeignKey(TherapyOrder, on_delete=models.PROTECT, related_name="appointments")
    course_day = models.PositiveSmallIntegerField(default=1)  # 1 = the order's first day
    day = models.DateField(db_index=True)
    start = models.DateTimeField()
    end = models.DateTimeField()
    preferred_start = models.TimeField(null=True, blank=True)
    chair = models.ForeignKey(Chair, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    nurse = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="appointments")
    # A handover (centre only): `nurse` watches until handover_end, handover_nurse from handover_start on.
    handover_nurse = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="handed_over_appointments"
    )
    handover_start = models.DateTimeField(null=True, blank=True)
    handover_end = models.DateTimeField(null=True, blank=True)
    home_visit = models.BooleanField(default=False)
    # A home visit's window: the family's earliest and latest start (blank: the nurse's shift bounds it).
    window_earliest = models.TimeField("earliest start at home", null=True, blank=True)
    window_latest = models.TimeField("latest start at home", null=True, blank=True)
    needs_scig_teaching = models.BooleanField("needs SCIG teaching", default=False)
    # A home visit whose time the family was given: re-planning the day keeps its nurse and start.
    confirmed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    needs_bed = models.BooleanField(default=False)
    needs_isolation = models.BooleanField(default=False)
    needs_paediatric = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED, db_index=True)
    booked_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    booked_at = models.DateTimeField()
    cancelled_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["day", "start", "id"]
        permissions = [("book_appointment", "Can book, move and cancel appointments")]
        constraints = [
            paired("appointment", "cancelled_by", "cancelled_at"),
            paired("appointment", "confirmed_by", "confirmed_at"),
            models.CheckConstraint(
                condition=Q(window_latest__isnull=True)
                | Q(window_earliest__isnull=True)
                | Q(window_latest__gte=F("window_earliest")),
                name="appointment_window_forward",
            ),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="appointment_end_after_start"),
            both_or_neither("handover_nurse", "handover_start", name="appointment_handover_nurse_with_start"),
            both_or_neither("handover_start", "handover_end", name="appointment_handover_start_with_end"),
            models.CheckConstraint(
                condition=Q(handover_start__isnull=True)
                | Q(
                    handover_start__gt=F("start"),
                    handover_end__gte=F("handover_start"),
                    handover_end__lt=F("end"),
                ),
                name="appointment_handover_inside",
            ),
            models.CheckConstraint(
                condition=Q(home_visit=True) | Q(chair__isnull=False), name="appointment_centre_has_chair"
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""), name="appointment_cancel_has_reason"
            ),
            models.UniqueConstraint(
                fields=["order", "course_day"],
                condition=Q(status__in=["booked", "arrived", "started", "completed"]),
                name="appointment_one_active_per_course_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient} {self.day} {self.start:%H:%M}"

    @property
    def needs(self) -> list[str]:
        flags = (("bed", self.needs_bed), ("isolation", self.needs_isolation))
        return [name for name, on in (*flags, ("paediatric", self.needs_paediatric)) if on]

    @property
    def handed_over(self) -> bool:
        return self.handover_nurse_id is not None

    @property
    def nurses_label(self) -> str:
        """Return who watches: "A", or "A until 15:30, then B (from 15:15)" with a handover."""
        name = self.nurse.display_name
        handover = self.handover_nurse
        if handover is None or self.handover_start is None or self.handover_end is None:
            return name
        until, since = (
            timezone.localtime(t).strftime("%H:%M") for t in (self.handover_end, self.handover_start)
        )
        return f"{name} until {until}, then {handover.display_name} (from {since})"

    @property
    def duration_min(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def home_skills(self) -> list[str]:
        """The skills a home visit needs of its nurse (the route planner's names)."""
        flags = (("paediatric", self.needs_paediatric), ("scig_teaching", self.needs_scig_teaching))
        return [name for name, on in flags if on]


def _degrees(label: str, limit: int) -> models.DecimalField:  # type: ignore[type-arg]
    return models.DecimalField(
        label,
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(Decimal(-limit)), MaxValueValidator(Decimal(limit))],
    )


class HomeNurse(LastUpdated):
    """A home-infusion nurse's base (where her route starts and ends) and her skills."""

    nurse = models.OneToOneField(USER, on_delete=models.PROTECT, related_name="home_profile")
    base = models.CharField("home base", max_length=160, help_text="Where her day starts and ends.")
    base_latitude = _degrees("base latitude (degrees)", 90)
    base_longitude = _degrees("base longitude (degrees)", 180)
    paediatric = models.BooleanField("treats children", default=False)
    scig_teaching = models.BooleanField("teaches SCIG self-infusion", default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["nurse__last_name", "nurse__first_name"]
        verbose_name = "home-infusion nurse"

    def __str__(self) -> str:
        return f"{self.nurse.display_name} ({self.base})"

    @property
    def skills(self) -> list[str]:
        return [name for name in ("paediatric", "scig_teaching") if getattr(self, name)]


class HomeDayPlan(models.Model):
    """The last optimised plan of one day's home visits: each nurse's route, and the visits left out."""

    day = models.DateField(unique=True)
    planned_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    planned_at = models.DateTimeField()
    solver_status = models.CharField(max_length=20)
    travel_source = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64, blank=True)  # the day's visits and shifts as planned
    # [{"appointment": pk, "reason": "..."}]: visits no nurse's route could take, with the solver's reason.
    unassigned = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"home day {self.day}"


class HomeRoute(models.Model):
    """One nurse's route on a planned day: leave the base, the stops in order, back to the base."""

    plan = models.ForeignKey(HomeDayPlan, on_delete=models.CASCADE, related_name="routes")
    nurse = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    leave_base = models.DateTimeField()
    back_at_base = models.DateTimeField()
    travel_min = models.PositiveIntegerField()
    distance_km = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)  # estimate

    class Meta:
        ordering = ["nurse__last_name", "nurse__first_name"]
        constraints = [models.UniqueConstraint(fields=["plan", "nurse"], name="homeroute_one_per_nurse")]

    def __str__(self) -> str:
        return f"{self.nurse.display_name} {self.plan.day}"


class RouteStop(models.Model):
    route = models.ForeignKey(HomeRoute, on_delete=models.CASCADE, related_name="stops")
    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="route_stops")
    position = models.PositiveSmallIntegerField()  # 1 = first visit
    travel_min = models.PositiveIntegerField()  # from the previous place (the base for the first stop)
    distance_km = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)  # estimate
    arrival = models.DateTimeField()
    start = models.DateTimeField()
    end = models.DateTimeField()

    class Meta:
        ordering = ["route", "position"]
        constraints = [
            models.UniqueConstraint(fields=["route", "position"], name="routestop_position_once"),
            models.UniqueConstraint(fields=["route", "appointment"], name="routestop_visit_once"),
            models.CheckConstraint(
                condition=Q(start__gte=F("arrival")), name="routestop_start_after_arrival"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.route} #{self.position}"

    @property
    def wait_min(self) -> int:
        return int((self.start - self.arrival).total_seconds() // 60)


class TravelMatrix(models.Model):
    """A travel-time table the site loaded (e.g. exported from an OSRM server), used instead of the estimate
    for the places it lists. The newest active one applies."""

    name = models.CharField(max_length=120)
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()
    points = (
        models.JSONField()
    )  # [[latitude, longitude], ...]: a day's places are matched to these by position
    minutes = models.JSONField()  # minutes[i][j]: whole minutes from point i to point j
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name_plural = "travel matrices"

    def __str__(self) -> str:
        return f"{self.name} ({len(self.points)} places)"

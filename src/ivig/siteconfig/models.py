"""The centre's own settings (one row) and its care sites."""

from __future__ import annotations

from typing import Any

from django.core.validators import RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords

phone_validator = RegexValidator(
    r"^[0-9+()\-. x]{5,30}$", "Enter a phone number using digits, spaces, +, -, ( ) or x for an extension."
)


class SiteSettings(models.Model):
    """Settings shown to patients and staff. There is exactly one row (pk=1)."""

    centre_name = models.CharField(max_length=120, default="Immunoglobulin Infusion Centre")
    phone_appointments = models.CharField(
        "appointments and referrals phone", max_length=30, blank=True, validators=[phone_validator]
    )
    phone_nurse_line = models.CharField("nurse line", max_length=30, blank=True, validators=[phone_validator])
    phone_after_hours = models.CharField(
        "after-hours phone", max_length=30, blank=True, validators=[phone_validator]
    )
    address = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "site settings"
        verbose_name_plural = "site settings"
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="site_settings_single_row")]

    def __str__(self) -> str:
        return self.centre_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> SiteSettings:
        settings, _ = cls.objects.get_or_create(pk=1)
        return settings


class CareSite(models.Model):
    """Where patients are treated: the infusion centre, or a home-infusion team."""

    class Kind(models.TextChoices):
        CENTRE = "centre", "Infusion centre"
        HOME = "home", "Home infusion"

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CENTRE)
    phone = models.CharField(max_length=30, blank=True, validators=[phone_validator])
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

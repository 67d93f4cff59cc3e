from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ivig.infusions.models import Spo2ScaleChoice, VitalSignRange


@admin.register(VitalSignRange)
class VitalSignRangeAdmin(admin.ModelAdmin[VitalSignRange]):
    list_display = ("measure", "min_age_years", "max_age_years", "low", "high", "source")
    list_filter = ("measure",)


@admin.register(Spo2ScaleChoice)
class Spo2ScaleChoiceAdmin(admin.ModelAdmin[Spo2ScaleChoice]):
    """SpO2 scale 2 for NEWS2 is a clinician's choice for one patient (docs/reference/monitoring.md s14)."""

    list_display = ("patient", "scale", "reason", "chosen_by", "chosen_at")
    fields = ("patient", "scale", "reason")
    raw_id_fields = ("patient",)

    def save_model(self, request: HttpRequest, obj: Spo2ScaleChoice, form: Any, change: bool) -> None:
        obj.chosen_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)

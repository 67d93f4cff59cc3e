from django.contrib import admin

from ivig.infusions.models import VitalSignRange


@admin.register(VitalSignRange)
class VitalSignRangeAdmin(admin.ModelAdmin[VitalSignRange]):
    list_display = ("measure", "min_age_years", "max_age_years", "low", "high", "source")
    list_filter = ("measure",)

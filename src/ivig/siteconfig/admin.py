from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ivig.siteconfig.models import CareSite


@admin.register(CareSite)
class CareSiteAdmin(SimpleHistoryAdmin):  # type: ignore[misc]  # simple_history is untyped
    list_display = ["name", "kind", "phone", "active"]

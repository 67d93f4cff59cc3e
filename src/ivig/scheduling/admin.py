from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ivig.scheduling.models import CentreHours, Chair, HomeNurse, NurseShift


@admin.register(CentreHours)
class CentreHoursAdmin(SimpleHistoryAdmin):  # type: ignore[misc]  # simple_history is untyped
    def has_add_permission(self, request: object) -> bool:
        return not CentreHours.objects.exists()

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Chair)
class ChairAdmin(SimpleHistoryAdmin):  # type: ignore[misc]  # simple_history is untyped
    list_display = ("name", "bed", "isolation", "paediatric", "active")


@admin.register(NurseShift)
class NurseShiftAdmin(SimpleHistoryAdmin):  # type: ignore[misc]  # simple_history is untyped
    list_display = ("day", "nurse", "start", "end", "max_watching", "home_visits")
    list_filter = ("day", "home_visits")


@admin.register(HomeNurse)
class HomeNurseAdmin(SimpleHistoryAdmin):  # type: ignore[misc]  # simple_history is untyped
    list_display = ("nurse", "base", "paediatric", "scig_teaching")

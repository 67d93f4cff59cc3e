from django.contrib import admin
from django.http import HttpRequest

from ivig.conservation.models import ConservationPolicy


@admin.register(ConservationPolicy)
class ConservationPolicyAdmin(admin.ModelAdmin[ConservationPolicy]):
    """One row: the site's choices for the conservation measures (the core names the defaults)."""

    list_display = ("__str__", "reduction_pct", "review_after_weeks", "sc_factor", "source")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not ConservationPolicy.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

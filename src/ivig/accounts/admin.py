from django.contrib import admin

from ivig.accounts.models import LoginFailure, User
from ivig.accounts.two_factor_admin import TwoFactorUserAdmin

admin.site.register(User, TwoFactorUserAdmin)


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin[LoginFailure]):
    list_display = ["username", "ip_address", "at"]
    list_filter = ["at"]
    search_fields = ["username", "ip_address"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "ivig.followup"
    label = "followup"
    verbose_name = "After-infusion follow-up"
    default_auto_field = "django.db.models.BigAutoField"

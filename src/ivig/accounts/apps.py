from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ivig.accounts"
    label = "accounts"
    verbose_name = "Users and roles"

    def ready(self) -> None:
        from ivig.accounts import signals  # noqa: F401  (connects the failed-login recorder)

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ivig.accounts"
    label = "accounts"
    verbose_name = "Users and roles"

    def ready(self) -> None:
        from ivig.accounts import access_cache, signals  # noqa: F401  (connect their receivers)

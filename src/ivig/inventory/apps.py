from typing import Any

from django.apps import AppConfig
from django.core import checks


class InventoryConfig(AppConfig):
    name = "ivig.inventory"
    label = "inventory"
    verbose_name = "Inventory"

    def ready(self) -> None:
        checks.register(check_separator_replacement)


def check_separator_replacement(**kwargs: Any) -> list[checks.CheckMessage]:
    """Refuse to start with a scanner separator replacement that could be part of a lot number."""
    from django.conf import settings

    from ivig.inventory.gs1 import check_separator_replacement as check

    try:
        check(settings.IVIG_GS1_SEPARATOR_REPLACEMENT)
    except ValueError as error:
        return [checks.Error(f"IVIG_GS1_SEPARATOR_REPLACEMENT: {error}", id="inventory.E001")]
    return []

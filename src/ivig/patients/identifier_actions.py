"""Keep the site table of identifier systems (the Django admin calls these). Each change is audited: a
wrong mapping can file one hospital's results under another's patient."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from ivig.audit.events import record
from ivig.patients.models import IdentifierSystem

if TYPE_CHECKING:
    from ivig.accounts.models import User

FIELDS = ("uri", "name", "use", "active")


def _snapshot(system: IdentifierSystem) -> dict[str, Any]:
    return {name: getattr(system, name) for name in FIELDS}


@transaction.atomic
def save_identifier_system(*, by: User, system: IdentifierSystem) -> IdentifierSystem:
    """Add or change a mapped system (checked first: an absolute URI, not our own MRN system)."""
    before = _snapshot(IdentifierSystem.objects.select_for_update().get(pk=system.pk)) if system.pk else {}
    system.full_clean()
    system.save()
    after = _snapshot(system)
    changed = {name for name in after if before.get(name) != after[name]}
    if changed:
        record(
            action="identifier_system.change" if before else "identifier_system.add",
            by=by,
            target=system,
            summary=f"Identifier system {system.uri}: {system.get_use_display()}"
            + ("" if system.active else " (inactive)"),
            before={name: before[name] for name in changed if name in before},
            after={name: after[name] for name in changed},
        )
    return system


@transaction.atomic
def delete_identifier_system(*, by: User, system: IdentifierSystem) -> None:
    """Remove a mapping: its system is refused at import again (identifiers kept from it stay)."""
    record(
        action="identifier_system.delete",
        by=by,
        target=system,
        summary=f"Identifier system {system.uri} removed",
        before=_snapshot(system),
    )
    system.delete()

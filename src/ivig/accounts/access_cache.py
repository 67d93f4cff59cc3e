"""What a user may do, kept in the worker process between requests, keyed by the user's access version.

Every page asked the database the same three questions after loading the session and the user: the user's
own permissions, their roles' permissions, and (for the two-factor check) whether they have enrolled an
authenticator. The answers change only when roles, permissions or devices change. Each such change adds one
to `User.access_version` in the database (the receivers below), and the answers are kept under the user's id
*and* that version, so the next request in any worker, loading the user row afresh, looks up a new key and
asks the database again. Nothing is trusted from a stale answer: a role removed ends access on the next
request, in every worker.

`User.save()` never writes access_version back (see the model), so an old copy of a user saved after a role
change cannot restore the old version and with it the old answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ivig.accounts.models import User

T = TypeVar("T")
MAX_ENTRIES = 4096  # users active in one worker at once; beyond it the cache starts again
_answers: dict[tuple[Any, ...], Any] = {}


def _key(user: Any, question: str) -> tuple[Any, ...]:
    return (question, user.pk, user.date_joined, user.access_version, user.is_active, user.is_superuser)


def remembered(user: Any, question: str, ask: Callable[[], T]) -> T:
    """The answer to `question` for this version of the user, asking the database only the first time."""
    key = _key(user, question)
    try:
        answer: T = _answers[key]
    except KeyError:
        answer = ask()
        if len(_answers) >= MAX_ENTRIES:
            _answers.clear()
        _answers[key] = answer
    return answer


def forget_all() -> None:
    """Empty this process's cache (tests)."""
    _answers.clear()


class CachedModelBackend(ModelBackend):
    """Django's ModelBackend, with each user's permissions kept per access version."""

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            found = remembered(
                user_obj,
                "permissions",
                lambda: frozenset(super(CachedModelBackend, self).get_all_permissions(user_obj)),
            )
            user_obj._perm_cache = set(found)
        cached: set[str] = user_obj._perm_cache
        return cached


def has_app_device(user: Any) -> bool:
    """Whether the user has a confirmed authenticator (the two-factor middleware asks on every page)."""
    from ivig.accounts import two_factor

    return bool(user.is_authenticated) and remembered(user, "app device", lambda: two_factor.has_device(user))


def role_names(user: Any) -> frozenset[str]:
    """The names of the user's role groups."""
    return remembered(user, "roles", lambda: frozenset(user.groups.values_list("name", flat=True)))


def bump(user_ids: list[Any] | None) -> None:
    """Move the access version on: of these users, or of every user (None) when a role itself changed."""
    users = User.objects.all() if user_ids is None else User.objects.filter(pk__in=user_ids)
    users.update(access_version=F("access_version") + 1)


@receiver(m2m_changed, sender=User.groups.through)
@receiver(m2m_changed, sender=User.user_permissions.through)
def _user_links_changed(sender: Any, instance: Any, action: str, reverse: bool, **kwargs: Any) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    # From the user's side: that user. From the group's or permission's side (rare): everyone.
    bump(None if reverse else [instance.pk])


@receiver(m2m_changed, sender=Group.permissions.through)
def _role_permissions_changed(sender: Any, action: str, **kwargs: Any) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        bump(None)


@receiver(post_save, sender=Group)
@receiver(post_delete, sender=Group)
@receiver(post_delete, sender=Permission)
def _role_changed(sender: Any, **kwargs: Any) -> None:
    # A role renamed or deleted (its links go with it, without m2m_changed): everyone's answers again.
    bump(None)


@receiver(post_save, sender=TOTPDevice)
@receiver(post_delete, sender=TOTPDevice)
@receiver(post_save, sender=StaticDevice)
@receiver(post_delete, sender=StaticDevice)
def _device_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    bump([instance.user_id])

"""Per-view access declarations. Every view declares who may use it; the middleware denies the rest."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

ACCESS_ATTR = "ivig_access"


class Access:
    """Who may call a view: anyone (public), any signed-in user, or holders of any of these permissions."""

    def __init__(self, *, public: bool = False, permissions: tuple[str, ...] = ()) -> None:
        self.public = public
        self.permissions = permissions

    def allows(self, user: Any) -> bool:
        if self.public:
            return True
        if not user.is_authenticated or not user.is_active:
            return False
        if not self.permissions:
            return True
        return any(user.has_perm(permission) for permission in self.permissions)


def _mark(access: Access) -> Callable[[F], F]:
    def decorate(view: F) -> F:
        setattr(view, ACCESS_ATTR, access)
        return view

    return decorate


def public(view: F) -> F:
    """Allow everyone, signed in or not (the login page, health check)."""
    return _mark(Access(public=True))(view)


def signed_in(view: F) -> F:
    """Allow any signed-in user; the view narrows what they see."""
    return _mark(Access())(view)


def requires(*permissions: str) -> Callable[[F], F]:
    """Allow users holding any one of these permissions."""
    if not permissions:
        raise ValueError("requires() needs at least one permission; use signed_in for any user")
    return _mark(Access(permissions=permissions))


def access_of(view: Callable[..., Any]) -> Access | None:
    found = getattr(view, ACCESS_ATTR, None)
    if found is None:
        # Class-based views: as_view() keeps the class on `view_class`.
        view_class = getattr(view, "view_class", None)
        found = getattr(view_class, ACCESS_ATTR, None)
    return found if isinstance(found, Access) else None

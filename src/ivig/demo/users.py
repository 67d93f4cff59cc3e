"""The demo's users: one way to get or create a user in a role, for the logins and the history's staff."""

from __future__ import annotations

from django.contrib.auth.models import Group

from ivig.accounts.models import User


def role_user(
    username: str, role: str, *, first_name: str, last_name: str, password: str | None = None
) -> tuple[User, bool]:
    """Return the user `username` and whether it was made now, in the group of `role` when made.

    With no password the user never signs in (the history's prescribers and nurses). Admin is also staff (the
    Django admin), never a superuser: a superuser holds every permission, so could prescribe and verify. A
    user already there is left as it is (loading the demo again changes nothing).
    """
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": first_name, "last_name": last_name}
    )
    if created:
        if password is None:
            user.set_unusable_password()
        else:
            user.set_password(password)
        user.is_staff = role == "Admin"  # staff for the Django admin; never a superuser (who may do anything)
        user.save()
        user.groups.add(Group.objects.get(name=role))
    return user, created

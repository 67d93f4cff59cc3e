"""Staff and portal users, each in one role group."""

from __future__ import annotations

from typing import Any

import factory
from factory.django import DjangoModelFactory

from ivig.accounts.models import User

PASSWORD = "correct-horse-battery"


class UserFactory(DjangoModelFactory[User]):
    """A user in the `role` group (an Admin is staff too) with PASSWORD; the username is the role, lowered."""

    class Meta:
        model = User

    role = "Nurse"
    username = factory.LazyAttribute(lambda o: o.role.lower())
    first_name = "Test"
    last_name = factory.SelfAttribute("role")
    is_staff = factory.LazyAttribute(lambda o: o.role == "Admin")

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        from django.contrib.auth.models import Group

        from ivig.accounts.roles import sync_role_groups

        role = kwargs.pop("role")
        password = kwargs.pop("password", PASSWORD)
        user = model_class.objects.create_user(*args, password=password, **kwargs)
        if not Group.objects.filter(name=role).exists():
            sync_role_groups()  # transactional tests flush the groups the migration made
        user.groups.add(Group.objects.get(name=role))
        return user

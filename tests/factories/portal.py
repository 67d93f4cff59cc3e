"""A family's portal account linked to a patient."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from ivig.portal.models import PortalLink
from tests.factories.accounts import UserFactory


class PortalLinkFactory(DjangoModelFactory[PortalLink]):
    """`user` may read `patient`'s records as a parent (pass both; a Patient-role user is made if not)."""

    class Meta:
        model = PortalLink

    user = factory.SubFactory(UserFactory, role="Patient", username=factory.Sequence(lambda n: f"parent{n}"))
    relationship = "parent"

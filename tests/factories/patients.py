"""Site tables the FHIR import and the groups read: identifier systems and care sites."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from ivig.patients.models import IdentifierSystem
from ivig.siteconfig.models import CareSite
from tests.integration.fhir_resources.bundles import HOSPITAL, OTHER


class IdentifierSystemFactory(DjangoModelFactory[IdentifierSystem]):
    """OTHER: another hospital's MRNs, trusted as external.

    `ours=True`: HOSPITAL, our MRNs under another system name."""

    class Meta:
        model = IdentifierSystem

    class Params:
        ours = factory.Trait(uri=HOSPITAL, name="Our hospital EHR", use="mrn")

    uri = OTHER
    name = "Other hospital MRN"
    use = "external"


class CareSiteFactory(DjangoModelFactory[CareSite]):
    class Meta:
        model = CareSite

    name = factory.Sequence(lambda n: f"Care site {n + 1}")

"""Chairs and nurse shifts: the centre's resources, kept by an administrator, not by an action."""

from __future__ import annotations

from datetime import time

import factory
from factory.django import DjangoModelFactory

from ivig.scheduling.models import Chair, NurseShift


class ChairFactory(DjangoModelFactory[Chair]):
    class Meta:
        model = Chair

    name = factory.Sequence(lambda n: f"Chair {n + 1}")


class NurseShiftFactory(DjangoModelFactory[NurseShift]):
    """A day shift, 08:00 to 19:00; pass `nurse` and `day`."""

    class Meta:
        model = NurseShift

    start = time(8, 0)
    end = time(19, 0)

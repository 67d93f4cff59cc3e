"""Infusions as stored, for reports and look-backs that read them; and the site's vital-sign ranges."""

from __future__ import annotations

from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from ivig.infusions.models import InfusionSession, Reaction, VitalSignRange


class InfusionSessionFactory(DjangoModelFactory[InfusionSession]):
    """Day 1 of `order` at the centre, completed, started by `started_by` at `started_at`."""

    class Meta:
        model = InfusionSession

    patient = factory.SelfAttribute("order.patient")
    day_number = 1
    setting = "centre"
    status = InfusionSession.Status.COMPLETED
    volume_planned_ml = Decimal("100")
    created_by = factory.SelfAttribute("started_by")


class ReactionFactory(DjangoModelFactory[Reaction]):
    """Chills at the session's start, at 50 mL/h, recorded by the nurse who started it."""

    class Meta:
        model = Reaction

    onset_at = factory.SelfAttribute("session.started_at")
    symptoms = factory.LazyFunction(lambda: ["chills"])
    grade = 1
    rate_at_onset_ml_per_h = Decimal("50")
    recorded_by = factory.SelfAttribute("session.started_by")


class VitalSignRangeFactory(DjangoModelFactory[VitalSignRange]):
    class Meta:
        model = VitalSignRange

    source = "site paediatric chart"

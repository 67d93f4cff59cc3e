"""patients 0004 stores every MRN normalised before MRNs become unique whatever their case; patients whose
MRNs differ only by case stop the migration with their numbers listed (a program cannot merge a person)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from ivig.patients.models import Patient

migration = importlib.import_module("ivig.patients.migrations.0004_normalise_mrns")


def test_it_plans_the_changes_and_finds_the_collisions():
    changes, collisions = migration.plan([(1, "RB1"), (2, " rb2"), (3, "rb1 "), (4, "AB-3"), (5, "ab-4")])

    assert changes == {2: "RB2", 3: "RB1", 5: "AB-4"}
    assert collisions == [["RB1", "rb1 "]]


@pytest.mark.django_db
def test_it_normalises_what_is_on_file(make_user, make_patient):
    patient = make_patient(make_user("Nurse"), mrn="RB100001")
    Patient.objects.filter(pk=patient.pk).update(mrn=" rb100001")  # as written before the rule

    migration.normalise_mrns(apps, None)

    patient.refresh_from_db()
    assert patient.mrn == "RB100001"


def test_it_stops_on_a_collision_and_says_which(monkeypatch):
    class Rows:
        def values_list(self, *names):
            return [(1, "RB1"), (2, "rb1"), (3, "RB2")]

    class FakePatient:
        objects = Rows()

    class FakeApps:
        def get_model(self, app, name):
            return FakePatient

    with pytest.raises(RuntimeError, match="RB1 / rb1"):
        migration.normalise_mrns(FakeApps(), None)

"""Every clinical write is kept: who, when, what, before and after."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.admin.sites import site as admin_site
from django.test import RequestFactory
from django.urls import reverse

from ivig.audit.models import AuditEvent, ImmutableRowError
from ivig.patients.models import Patient


def _edit_form(patient, **changes):
    data = {
        "mrn": patient.mrn,
        "given_name": patient.given_name,
        "family_name": patient.family_name,
        "date_of_birth": patient.date_of_birth.isoformat(),
        "sex_at_birth": patient.sex_at_birth,
        "care_site": "",
        "weight": "62.5",
        "weight_unit": "kg",
        "height": "165.0",
        "height_unit": "cm",
    }
    return {**data, **changes}


def test_it_audits_a_weight_edit_with_old_and_new_value_and_user(client, make_user, make_patient):
    nurse = make_user("Nurse")
    patient = make_patient(nurse, weight_kg="62.5")
    client.force_login(nurse)

    response = client.post(reverse("patients:edit", args=[patient.pk]), _edit_form(patient, weight="64.2"))

    assert response.status_code == 302
    event = AuditEvent.objects.filter(action="patient.update").get()
    assert event.actor_username == "nurse"
    assert event.actor_id == nurse.pk
    assert event.patient_mrn == patient.mrn
    assert event.before == {"weight_kg": "62.50"}
    assert event.after == {"weight_kg": "64.20"}
    assert ("weight_kg", "62.50", "64.20") in event.changes()
    # The old weight is kept as history, not overwritten.
    assert [m.weight_kg for m in patient.measurements.order_by("measured_at")] == [
        Decimal("62.5"),
        Decimal("64.2"),
    ]


def test_it_keeps_model_history_with_the_user(client, make_user, make_patient):
    nurse = make_user("Nurse")
    patient = make_patient(nurse, family_name="Lovelace")
    client.force_login(nurse)

    client.post(reverse("patients:edit", args=[patient.pk]), _edit_form(patient, family_name="King"))

    latest, earlier = Patient.history.filter(id=patient.pk).order_by("-history_date")[:2]
    assert (earlier.family_name, latest.family_name) == ("Lovelace", "King")
    assert latest.history_user == nurse
    assert latest.history_type == "~"


def test_it_writes_no_event_when_nothing_changed(client, make_user, make_patient):
    nurse = make_user("Nurse")
    patient = make_patient(nurse)
    client.force_login(nurse)
    before = AuditEvent.objects.count()

    client.post(reverse("patients:edit", args=[patient.pk]), _edit_form(patient))

    assert AuditEvent.objects.count() == before


def test_it_refuses_to_change_or_delete_audit_rows(make_user, make_patient):
    patient = make_patient(make_user("Nurse"))
    event = AuditEvent.objects.get(action="patient.create", patient_id=patient.pk)

    event.summary = "tampered"
    with pytest.raises(ImmutableRowError):
        event.save()
    with pytest.raises(ImmutableRowError):
        event.delete()
    with pytest.raises(ImmutableRowError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="tampered")
    with pytest.raises(ImmutableRowError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).summary.startswith("Registered")


def test_it_offers_no_add_change_or_delete_in_the_admin(make_user):
    admin_user = make_user("Admin")
    admin_user.is_superuser = True
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    model_admin = admin_site._registry[AuditEvent]

    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    for model in (Patient,):
        assert not admin_site._registry[model].has_change_permission(request)

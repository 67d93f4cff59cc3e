"""Every add, change and delete made in the Django admin writes an audit event naming what changed: care
sites and the vital-sign ranges (site tables) included."""

from __future__ import annotations

import pytest

from ivig.audit.models import AuditEvent
from ivig.infusions.models import VitalSignRange
from ivig.siteconfig.models import CareSite

pytestmark = pytest.mark.django_db


def _care_site_form(**fields):
    form = {"name": "North clinic", "kind": CareSite.Kind.values[0], "phone": "", "active": "on"}
    return {**form, **fields}


def test_it_audits_adding_and_changing_a_care_site(client, make_user):
    client.force_login(make_user("Admin"))

    added = client.post("/admin/siteconfig/caresite/add/", _care_site_form())
    assert added.status_code == 302, added.content.decode()[:3000]
    site = CareSite.objects.get(name="North clinic")
    event = AuditEvent.objects.get(action="admin.add")
    assert event.actor_username == "admin" and event.target_type == "siteconfig.CareSite"
    assert event.after["name"] == "North clinic"

    client.post(f"/admin/siteconfig/caresite/{site.pk}/change/", _care_site_form(name="South clinic"))
    event = AuditEvent.objects.get(action="admin.change")
    assert event.before["name"] == "North clinic" and event.after["name"] == "South clinic"
    assert "name" in event.summary


def test_it_audits_a_change_to_a_vital_sign_range(client, make_user):
    client.force_login(make_user("Admin"))  # the Admin role keeps the ranges, not only a superuser
    measure = VitalSignRange._meta.get_field("measure").choices[0][0]
    vital = VitalSignRange.objects.create(
        measure=measure, min_age_years=0, max_age_years=200, low=50, high=180, source="Local policy"
    )

    fields = {
        name: getattr(vital, name)
        for name in ("measure", "min_age_years", "max_age_years", "low", "high", "source")
    }
    fields = {key: ("" if value is None else value) for key, value in fields.items()}
    response = client.post(f"/admin/infusions/vitalsignrange/{vital.pk}/change/", {**fields, "high": "199"})

    assert response.status_code == 302, response.content.decode()[:3000]
    event = AuditEvent.objects.get(action="admin.change", target_type="infusions.VitalSignRange")
    assert event.after["high"] == "199"


def test_every_registered_model_admin_is_audited():
    from django.contrib import admin

    from ivig.audit.admin_site import AuditedAdminMixin

    assert all(isinstance(model_admin, AuditedAdminMixin) for model_admin in admin.site._registry.values())

"""Optimistic locking: two devices save the same session; the second is told and its entry is not lost."""

from __future__ import annotations

from django.urls import reverse

from ivig.audit.models import AuditEvent
from ivig.infusions import actions
from tests.drivers.infusions import running


def test_it_refuses_a_stale_rate_change_and_keeps_what_was_typed(client, dispensed_order, fixed_clock):
    d = dispensed_order
    session = running(d)
    client.force_login(d.nurse)
    stale = session.version
    fixed_clock.advance(minutes=28)
    actions.record_vitals(by=d.nurse, session=session, taken_at=fixed_clock.now(), heart_rate=88)  # device A
    fixed_clock.advance(minutes=2)
    at = fixed_clock.now().astimezone().strftime("%Y-%m-%dT%H:%M")

    response = client.post(
        reverse("infusions:pump_rate", args=[session.pk]),
        {"version": stale, "at": at, "rate_ml_per_h": "15", "reason": "device B"},
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert "Another device saved this session after you opened it" in html
    assert 'value="device B"' in html  # what B typed is still in its form
    assert session.segments.count() == 1
    conflict = AuditEvent.objects.get(action="infusion.conflict", target_id=str(session.pk))
    assert conflict.after["submitted"]["reason"] == "device B"


def test_it_tells_an_autosave_from_a_stale_device(client, dispensed_order, fixed_clock):
    d = dispensed_order
    session = actions.start_session(by=d.nurse, order=d.order, setting="home")
    client.force_login(d.nurse)
    url = reverse("infusions:checklist", args=[session.pk])

    first = client.post(url, {"version": session.version, "notes": "tablet"}, HTTP_HX_REQUEST="true")
    second = client.post(url, {"version": session.version, "hydration": "phone"}, HTTP_HX_REQUEST="true")

    assert "Saved" in first.content.decode()
    assert "Another device saved this session" in second.content.decode()
    session.refresh_from_db()
    assert (session.notes, session.hydration, session.version) == ("tablet", "", 2)
    assert AuditEvent.objects.get(action="infusion.conflict").after["submitted"]["hydration"] == "phone"

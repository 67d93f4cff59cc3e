"""A flowsheet save posted without its hidden `version` field is refused as a conflict (409), not saved
without the optimistic-locking check (hazard H-VERSION-CHECK)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ivig.infusions import actions, pump
from ivig.infusions.events import MISSING_VERSION, MissingVersionError
from ivig.infusions.models import InfusionSession
from tests.drivers.infusions import checked_in, running

pytestmark = pytest.mark.django_db


def _at(fixed_clock):
    return fixed_clock.now().astimezone().strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize(
    ("url_name", "build", "data"),
    [
        ("infusions:checklist", checked_in, lambda clock: {"hydration": "IV fluids"}),
        ("infusions:confirm", checked_in, lambda clock: {}),
        ("infusions:pump_rate", running, lambda clock: {"at": _at(clock), "rate_ml_per_h": "15"}),
        ("infusions:pump_pause", running, lambda clock: {"at": _at(clock), "reason": "line kinked"}),
        ("infusions:pump_end", running, lambda clock: {"at": _at(clock)}),
    ],
    ids=["checklist", "confirm", "rate", "pause", "end"],
)
def test_it_refuses_a_flowsheet_save_without_its_version(
    client, dispensed_order, fixed_clock, url_name, build, data
):
    session = build(dispensed_order)
    client.force_login(dispensed_order.nurse)
    fixed_clock.advance(minutes=5)
    version = InfusionSession.objects.get(pk=session.pk).version

    response = client.post(reverse(url_name, args=[session.pk]), data(fixed_clock))

    assert response.status_code == 409
    assert "did not say which version" in response.content.decode().replace("&#x27;", "'")
    assert InfusionSession.objects.get(pk=session.pk).version == version


def test_the_actions_refuse_no_version(dispensed_order, fixed_clock):
    session = running(dispensed_order)
    fixed_clock.advance(minutes=5)

    with pytest.raises(MissingVersionError, match="did not say which version"):
        pump.pause(
            by=dispensed_order.nurse, session=session, expected_version=None, at=fixed_clock.now(), reason="x"
        )
    with pytest.raises(MissingVersionError):
        actions.save_checklist(by=dispensed_order.nurse, session=session, expected_version=None, fields={})
    assert MISSING_VERSION.endswith("enter it again.")

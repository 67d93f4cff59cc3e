"""Every app's refusal is an ActionRefused (a version clash a ConflictRefused); pages show refusals through
one helper (`refusals_to`) instead of each view catching its own type and copying the error onto the form."""

from __future__ import annotations

from pathlib import Path

import pytest

from ivig.followup.actions import FollowUpError
from ivig.hemovigilance.actions import ReviewConflict, ReviewError
from ivig.infusions.events import ConflictError, InfusionError
from ivig.infusions.wristband import WristbandError
from ivig.inventory.gs1 import GS1Error
from ivig.inventory.ledger import StockError
from ivig.lib.refusals import ActionRefused, ConflictRefused
from ivig.orders.actions import OrderError, OverlapError
from ivig.orders.criteria_actions import CriteriaError
from ivig.outcomes.actions import OutcomeError
from ivig.patients.lab_actions import LabError
from ivig.portal.actions import PortalError
from ivig.scheduling.day import BookingError
from ivig.siteconfig.actions import SettingsError

SRC = Path(__file__).resolve().parents[3] / "src" / "ivig"
REFUSALS = [
    BookingError,
    CriteriaError,
    FollowUpError,
    GS1Error,
    InfusionError,
    LabError,
    OrderError,
    OutcomeError,
    OverlapError,
    PortalError,
    ReviewError,
    SettingsError,
    StockError,
    WristbandError,
]


@pytest.mark.parametrize("refusal", REFUSALS, ids=lambda kind: kind.__name__)
def test_it_makes_every_apps_refusal_an_action_refused(refusal: type[Exception]) -> None:
    assert issubclass(refusal, ActionRefused)
    assert not issubclass(refusal, ConflictRefused)


@pytest.mark.parametrize("conflict", [ConflictError, ReviewConflict], ids=lambda kind: kind.__name__)
def test_it_makes_a_version_clash_a_conflict_refused(conflict: type[Exception]) -> None:
    assert issubclass(conflict, ConflictRefused)


def test_it_keeps_value_error_for_callers_that_catch_it() -> None:
    for refusal in (GS1Error, LabError, OutcomeError, WristbandError):
        assert issubclass(refusal, ValueError)


def test_it_leaves_no_view_copying_a_refusal_onto_its_form_by_hand() -> None:
    copies = [
        str(path.relative_to(SRC)) for path in SRC.rglob("*.py") if "add_error(None, str(" in path.read_text()
    ]
    assert copies == ["lib/refusals.py"]  # the helper itself


@pytest.mark.parametrize("app", ["followup", "infusions", "portal", "scheduling", "siteconfig"])
def test_it_leaves_no_action_refusing_with_a_django_validation_error(app: str) -> None:
    raising = [
        str(path.relative_to(SRC))
        for path in (SRC / app).glob("*.py")
        if "raise ValidationError(" in path.read_text() and path.name != "models.py"
    ]
    assert raising == []

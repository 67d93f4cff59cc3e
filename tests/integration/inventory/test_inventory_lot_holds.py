"""Quarantine, release and recall: a lot's status changes with a reason and an audit event."""

from __future__ import annotations

import pytest

from ivig.audit.models import AuditEvent
from ivig.inventory.actions import StockError, quarantine_lot, recall_lot, release_lot
from ivig.inventory.models import Lot


@pytest.fixture
def pharmacist(make_user):
    return make_user("Pharmacist")


def test_it_quarantines_and_releases_a_lot(pharmacist, make_lot):
    lot = make_lot(pharmacist)

    quarantine_lot(by=pharmacist, lot=lot, reason="Fridge at 11 °C overnight")
    lot.refresh_from_db()
    assert (lot.status, lot.status_reason) == ("quarantined", "Fridge at 11 °C overnight")

    release_lot(by=pharmacist, lot=lot, reason="Manufacturer confirmed stability")
    lot.refresh_from_db()
    assert lot.status == "available"
    actions = list(AuditEvent.objects.filter(target_id=str(lot.pk)).values_list("action", flat=True))
    assert actions[:2] == ["stock.lot_available", "stock.lot_quarantined"]


def test_it_recalls_a_lot_for_good(pharmacist, make_lot):
    lot = make_lot(pharmacist)
    quarantine_lot(by=pharmacist, lot=lot, reason="Recall expected")

    recall_lot(by=pharmacist, lot=lot, reason="Manufacturer recall")

    lot.refresh_from_db()
    assert lot.status == Lot.Status.RECALLED
    for action in (release_lot, quarantine_lot, recall_lot):
        with pytest.raises(StockError, match="is recalled"):
            action(by=pharmacist, lot=lot, reason="try")
    assert Lot.objects.get(pk=lot.pk).status == "recalled"


def test_it_needs_a_reason(pharmacist, make_lot):
    lot = make_lot(pharmacist)

    with pytest.raises(StockError, match="Give a reason"):
        quarantine_lot(by=pharmacist, lot=lot, reason="   ")

    assert Lot.objects.get(pk=lot.pk).status == "available"
    assert not AuditEvent.objects.filter(action__startswith="stock.lot_").exists()

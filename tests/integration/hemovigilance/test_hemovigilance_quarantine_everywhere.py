"""Quarantine from a recall holds all remaining stock of the lot at every location in one transaction: after
it no vial of the lot is dispensed, sent out or scanned anywhere, the audit event lists the vials held at each
place, and a failure part way (the audit write) leaves every lot as it was."""

from __future__ import annotations

import pytest

from ivig.audit.models import AuditEvent
from ivig.inventory import ledger
from ivig.inventory.actions import StockError, dispense, quarantine_lots
from ivig.inventory.location_actions import save_location, transfer_stock
from ivig.inventory.models import Location, Lot

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread(make_user, make_lot):
    """Lot SPREAD: 4 vials in the pharmacy, 3 in a centre fridge, 2 in a home nurse's bag; and a twin lot."""
    pharmacist = make_user("Pharmacist")
    fridge = save_location(by=pharmacist, name="Centre fridge", kind="fridge")
    bag = save_location(by=pharmacist, name="Home round", kind="home_nurse", nurse=make_user("Nurse"))
    lot = make_lot(pharmacist, lot_number="SPREAD", vials=9)
    twin = make_lot(pharmacist, lot_number="SPREAD", vials=2, vial_size_g="5")
    transfer_stock(
        by=pharmacist, lot=lot, from_location=Location.default(), to_location=fridge, quantity_vials=3
    )
    transfer_stock(
        by=pharmacist, lot=lot, from_location=Location.default(), to_location=bag, quantity_vials=2
    )
    return pharmacist, lot, twin, [Location.default(), fridge, bag]


def test_it_holds_the_lot_at_every_location_at_once(spread):
    pharmacist, lot, twin, places = spread

    held = quarantine_lots(by=pharmacist, lots=[lot, twin], reason="Recall R-7")

    assert {h.pk for h in held} == {lot.pk, twin.pk}
    assert set(Lot.objects.filter(lot_number="SPREAD").values_list("status", flat=True)) == {"quarantined"}
    for place in places:
        with pytest.raises(StockError, match="quarantined"):
            dispense(by=pharmacist, lot=lot, quantity_vials=1, reference="order", location=place)
    with pytest.raises(StockError, match="only go back to a pharmacy"):
        transfer_stock(
            by=pharmacist, lot=lot, from_location=places[0], to_location=places[1], quantity_vials=1
        )
    event = AuditEvent.objects.filter(action="stock.lot_quarantined", target_id=str(lot.pk)).get()
    assert event.after["vials_by_location"] == {places[0].name: 4, "Centre fridge": 3, "Home round": 2}


def test_it_changes_nothing_when_the_audit_write_fails_part_way(spread, monkeypatch):
    pharmacist, lot, twin, _places = spread
    real = ledger.record  # stock audit events are written through ledger.log_stock
    written = []

    def fail_on_second(**kwargs):
        written.append(kwargs["target"].pk)
        if len(written) == 2:
            raise RuntimeError("audit store unavailable")
        return real(**kwargs)

    monkeypatch.setattr(ledger, "record", fail_on_second)
    with pytest.raises(RuntimeError):
        quarantine_lots(by=pharmacist, lots=[lot, twin], reason="Recall R-7")

    assert set(Lot.objects.filter(lot_number="SPREAD").values_list("status", flat=True)) == {"available"}
    assert not AuditEvent.objects.filter(action="stock.lot_quarantined").exists()

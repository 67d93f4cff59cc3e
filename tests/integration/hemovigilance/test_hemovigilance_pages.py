"""The recall lookback pages: who may use them, the CSV, the draft letters, and the one action that holds the
lot's remaining stock at every location, all or nothing."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from ivig.inventory import actions as stock_actions
from ivig.inventory.location_actions import save_location, transfer_stock
from ivig.inventory.models import Location, Lot
from tests.drivers.orders import verify_and_dispense

pytestmark = pytest.mark.django_db


@pytest.fixture
def recalled(make_user, make_order, make_patient, make_lot):
    prescriber, pharmacist = make_user("Prescriber"), make_user("Pharmacist")
    twenty = make_lot(pharmacist, lot_number="BAD20", vials=10, vial_size_g="20")
    five = make_lot(pharmacist, lot_number="OK05", vials=10, vial_size_g="5")
    child = make_patient(
        prescriber, mrn="C0001", given_name="Mia", family_name="=Chen", date_of_birth=date(2019, 3, 2)
    )
    adult = make_patient(prescriber, mrn="A0001", given_name="Omar", family_name="Farouk")
    for patient in (child, adult):
        order = make_order(prescriber, patient=patient)
        verify_and_dispense(order, by=pharmacist, picks=[(twenty, 2), (five, 2)])
    fridge = save_location(by=pharmacist, name="Fridge", kind="fridge")
    transfer_stock(
        by=pharmacist, lot=twenty, from_location=Location.default(), to_location=fridge, quantity_vials=2
    )
    return twenty, child, adult


@pytest.mark.parametrize(("role", "status"), [("Quality", 200), ("Pharmacist", 200), ("Nurse", 403)])
def test_it_lets_quality_and_pharmacy_run_a_lookback(client, make_user, role, status):
    client.force_login(make_user(role))

    assert client.get(reverse("hemovigilance:lookback")).status_code == status


def test_it_lists_every_recipient_with_site_and_stock_left(client, make_user, recalled):
    client.force_login(make_user("Quality"))

    page = client.get(reverse("hemovigilance:lookback"), {"lot": "bad20"}).content.decode()

    assert "2 patients received it" in page
    assert "C0001" in page and "A0001" in page
    assert "Pharmacy: 4 vials" in page and "Fridge: 2 vials" in page
    assert "Quarantine all remaining stock at every location" in page


def test_it_finds_the_lot_from_a_scanned_vial(client, make_user, recalled):
    twenty, _child, _adult = recalled
    Lot.objects.filter(pk=twenty.pk).update(gtin="02000000000015")
    client.force_login(make_user("Quality"))
    scan = f"(01)02000000000015(17)991231(10){twenty.lot_number}"

    response = client.get(reverse("hemovigilance:lookback"), {"scan": scan})

    assert "2 patients received it" in response.content.decode()


def test_it_explains_bad_input(client, make_user):
    client.force_login(make_user("Quality"))

    response = client.get(reverse("hemovigilance:lookback"), {"lot": "", "gtin": "12ab"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter the lot number, or scan a vial." in page and "A GTIN has 14 digits." in page
    unknown = client.get(reverse("hemovigilance:lookback"), {"lot": "NEVER"}).content.decode()
    assert "No lot with this number" in unknown


def test_it_exports_the_recipients_as_csv_safe_for_spreadsheets(client, make_user, recalled):
    client.force_login(make_user("Quality"))

    response = client.get(reverse("hemovigilance:lookback_csv"), {"lot": "BAD20"})

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert sorted(row["MRN"] for row in rows) == ["A0001", "C0001"]
    child = next(row for row in rows if row["MRN"] == "C0001")
    assert child["Family name"] == "'=Chen", "a leading = is quoted so no formula runs"
    assert (child["Lot"], child["Vials"], child["Grams"], child["Status"]) == (
        "BAD20",
        "2",
        "40",
        "Dispensed",
    )
    assert child["Reference"].startswith("IG-")
    assert client.get(reverse("hemovigilance:lookback_csv")).status_code == 400


def test_it_drafts_a_letter_to_a_childs_guardian_and_to_an_adult(client, make_user, recalled):
    _twenty, child, adult = recalled
    client.force_login(make_user("Quality"))
    url = reverse("hemovigilance:letter", args=[child.pk])

    to_guardian = client.get(url, {"lot": "BAD20", "notice": "Possible particles seen"}).content.decode()
    to_adult = client.get(reverse("hemovigilance:letter", args=[adult.pk]), {"lot": "BAD20"}).content.decode()

    assert "To the parent or guardian of Mia =Chen" in to_guardian
    assert "lot BAD20" in to_guardian and "40 g" in to_guardian
    assert "What the company has told us: Possible particles seen" in to_guardian
    assert "Dear Omar," in to_adult
    assert client.get(url, {"lot": "OTHER"}).status_code == 404


def test_it_quarantines_the_lot_at_every_location_in_one_action(client, make_user, recalled):
    twenty, _child, _adult = recalled
    client.force_login(make_user("Quality"))

    response = client.post(reverse("hemovigilance:quarantine"), {"lot": "BAD20", "reason": "Recall 2026-03"})

    assert response.status_code == 302
    twenty.refresh_from_db()
    assert (twenty.status, twenty.status_reason) == ("quarantined", "Recall 2026-03")
    page = client.get(response.url).content.decode()
    assert "Quarantined at every location" in page
    again = client.post(reverse("hemovigilance:quarantine"), {"lot": "BAD20", "reason": "twice"}, follow=True)
    assert "already held; nothing changed" in again.content.decode()


def test_it_quarantines_all_lots_of_the_number_or_none(make_user, make_lot, monkeypatch):
    pharmacist = make_user("Pharmacist")
    first = make_lot(pharmacist, lot_number="TWIN", vials=2)
    second = make_lot(pharmacist, lot_number="TWIN", vials=2, vial_size_g="5")
    real = stock_actions._set_status
    calls = []

    def fail_on_second(**kwargs):
        calls.append(kwargs["lot"].pk)
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return real(**kwargs)

    monkeypatch.setattr(stock_actions, "_set_status", fail_on_second)
    with pytest.raises(RuntimeError):
        stock_actions.quarantine_lots(by=pharmacist, lots=[second, first], reason="Recall")

    assert set(Lot.objects.values_list("status", flat=True)) == {"available"}, "the first hold rolled back"
    monkeypatch.setattr(stock_actions, "_set_status", real)
    held = stock_actions.quarantine_lots(by=pharmacist, lots=[second, first], reason="Recall")
    assert [lot.pk for lot in held] == sorted([first.pk, second.pk])


def test_it_refuses_quarantine_without_a_reason_or_permission(client, make_user, recalled):
    twenty, _child, _adult = recalled
    client.force_login(make_user("Quality"))
    client.post(reverse("hemovigilance:quarantine"), {"lot": "BAD20", "reason": ""})
    client.force_login(make_user("Nurse"))
    assert (
        client.post(reverse("hemovigilance:quarantine"), {"lot": "BAD20", "reason": "x"}).status_code == 403
    )

    twenty.refresh_from_db()
    assert twenty.status == "available"


def test_it_pages_the_recipients_and_keeps_them_all_in_the_csv(client, make_user, recalled, monkeypatch):
    monkeypatch.setattr("ivig.hemovigilance.views.RECIPIENTS_PER_PAGE", 1)
    client.force_login(make_user("Quality"))
    url = reverse("hemovigilance:lookback")

    first = client.get(url, {"lot": "bad20"}).content.decode()
    second = client.get(url, {"lot": "bad20", "page": "2"}).content.decode()
    beyond = client.get(url, {"lot": "bad20", "page": "99"}).content.decode()

    assert "2 patients received it" in first and "2 patients received it" in second
    assert "Patients 1–1 of 2" in first and "Patients 2–2 of 2" in second
    shown = [{mrn for mrn in ("A0001", "C0001") if mrn in page} for page in (first, second)]
    assert shown[0] and shown[1] and shown[0] != shown[1]  # each patient once, on one page
    assert "lot=bad20" in first.split('class="pagination"')[1]  # the next page keeps the search
    assert "Patients 2–2 of 2" in beyond  # past the end: the last page, not an error
    rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("hemovigilance:lookback_csv"), {"lot": "bad20"}).content.decode())
        )
    )
    assert {"A0001", "C0001"} <= {row[0] for row in rows}

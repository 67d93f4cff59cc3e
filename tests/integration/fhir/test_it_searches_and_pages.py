"""Search answers a searchset Bundle: total, entries with fullUrl and search mode, self/next/previous links
that page through every match exactly once, and a constant number of queries per page."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(make_user, make_token):
    return make_token(make_user("Admin"))


@pytest.fixture
def patients(make_user, make_patient):
    nurse = make_user("Nurse")
    return [make_patient(nurse, mrn=f"S{n:03d}", given_name=f"Pat{n}") for n in range(7)]


def _params(url):
    return {key: values[0] for key, values in parse_qs(urlparse(url).query).items()}


def test_it_pages_through_every_match_once(fhir, token, patients):
    seen, params, pages = [], {"_count": "3"}, 0
    while True:
        bundle = fhir("Patient", token, **params).data
        pages += 1
        assert bundle["type"] == "searchset"
        assert bundle["total"] == 7
        seen.extend(entry["resource"]["id"] for entry in bundle.get("entry", []))
        links = {link["relation"]: link["url"] for link in bundle["link"]}
        assert links["self"].startswith("http://testserver/fhir/Patient?")
        if "next" not in links:
            break
        params = _params(links["next"])

    assert pages == 3
    assert sorted(seen) == sorted(str(p.pk) for p in patients)
    assert "previous" in links
    assert _params(links["previous"]) == {"_count": "3", "_offset": "3"}


def test_it_gives_each_entry_a_full_url_and_search_mode(fhir, token, patients):
    entry = fhir("Patient", token, _count="1").data["entry"][0]

    assert entry["fullUrl"] == f"http://testserver/fhir/Patient/{entry['resource']['id']}"
    assert entry["search"] == {"mode": "match"}


def test_it_pages_by_page_number_too(fhir, token, patients):
    by_page = fhir("Patient", token, _count="2", _page="2").data
    by_offset = fhir("Patient", token, _count="2", _offset="2").data

    assert [e["resource"]["id"] for e in by_page["entry"]] == [
        e["resource"]["id"] for e in by_offset["entry"]
    ]


def test_it_counts_without_entries_when_asked_for_none(fhir, token, patients):
    bundle = fhir("Patient", token, _count="0").data

    assert bundle["total"] == 7
    assert "entry" not in bundle


def test_it_keeps_the_search_in_the_links(fhir, token, patients):
    bundle = fhir("Patient", token, gender="female", _count="2").data
    links = {link["relation"]: link["url"] for link in bundle["link"]}

    assert _params(links["next"]) == {"gender": "female", "_count": "2", "_offset": "2"}


def test_it_searches_by_patient_date_and_lot(fhir, token, clinic):
    order = clinic["dispensed"]
    lot = order.dispensed_lots.select_related("lot").first().lot
    other = clinic["other"]

    mine = fhir("MedicationRequest", token, patient=str(order.patient_id)).data
    theirs = fhir("MedicationRequest", token, patient=f"Patient/{other.pk}").data
    by_lot = fhir("MedicationRequest", token, lot=lot.lot_number).data
    dispenses = fhir("MedicationDispense", token, lot=lot.lot_number).data
    medication = fhir("Medication", token, **{"lot-number": lot.lot_number}).data
    today = timezone.localdate(order.signed_at).isoformat()  # the site's date, not UTC's
    dated = fhir("MedicationRequest", token, date=f"ge{today}").data
    before = fhir("MedicationRequest", token, date="lt2000-01-01").data
    either = fhir("MedicationRequest", token, patient=str(order.patient_id), status="active,completed").data
    active = fhir("MedicationRequest", token, patient=str(order.patient_id), status="active").data
    completed = fhir("MedicationRequest", token, patient=str(order.patient_id), status="completed").data

    assert mine["total"] == 8 and theirs["total"] == 1
    assert [e["resource"]["id"] for e in by_lot["entry"]] == [str(order.pk)]
    assert dispenses["total"] == 1
    assert [e["resource"]["id"] for e in medication["entry"]] == [str(lot.pk)]
    assert dated["total"] == 9 and before["total"] == 0
    assert either["total"] == active["total"] + completed["total"] > 0  # a comma means "or"


@pytest.mark.parametrize("count", ["2", "20"])
def test_it_reads_a_page_in_a_constant_number_of_queries(fhir, token, clinic, count):
    fhir("metadata", token)  # the token's first use notes its last_used_at: not part of a page's cost
    fhir("Patient", token)
    with CaptureQueriesContext(connection) as small:
        fhir("MedicationDispense", token, _count="1")
        fhir("MedicationRequest", token, _count="1")
    with CaptureQueriesContext(connection) as large:
        fhir("MedicationDispense", token, _count=count)
        fhir("MedicationRequest", token, _count=count)

    assert len(large) == len(small)

"""FHIR search values: dates with prefixes and their intervals, references, tokens; bad ones refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from ivig.fhir.registry import SearchError
from ivig.fhir.search import DateRange, parse_date, parse_id, parse_lot, parse_token


def local(*parts: int) -> datetime:
    return timezone.make_aware(datetime(*parts))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026", DateRange("eq", local(2026, 1, 1), local(2027, 1, 1))),
        ("ge2026-02", DateRange("ge", local(2026, 2, 1), local(2026, 3, 1))),
        ("lt2026-12", DateRange("lt", local(2026, 12, 1), local(2027, 1, 1))),
        ("le2026-03-01", DateRange("le", local(2026, 3, 1), local(2026, 3, 2))),
        ("gt2026-03-01T10:15", DateRange("gt", local(2026, 3, 1, 10, 15), local(2026, 3, 1, 10, 16))),
        (
            "eq2026-03-01T10:15:30Z",
            DateRange(
                "eq",
                datetime(2026, 3, 1, 10, 15, 30, tzinfo=UTC),
                datetime(2026, 3, 1, 10, 15, 31, tzinfo=UTC),
            ),
        ),
        (
            "ne2026-03-01T10:15:30.5+02:00",
            DateRange(
                "ne",
                datetime(2026, 3, 1, 8, 15, 30, 500000, tzinfo=UTC),
                datetime(2026, 3, 1, 8, 15, 30, 600000, tzinfo=UTC),
            ),
        ),
    ],
)
def test_it_reads_dates_as_the_interval_they_name(value, expected):
    found = parse_date(value)
    assert (found.prefix, found.start, found.end) == (expected.prefix, expected.start, expected.end)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("yesterday", "is not a FHIR date"),
        ("2026-13-01", "is not a real date"),
        ("2026-02-30", "is not a real date"),
        ("sa2026-01-01", "is not a FHIR date"),
        ("2026-01-01T25:00", "is not a real date"),
        ("2026-1-1", "is not a FHIR date"),
        ("", "is not a FHIR date"),
    ],
)
def test_it_refuses_bad_dates_with_a_message(value, message):
    with pytest.raises(SearchError, match=message):
        parse_date(value)


def test_it_reads_references_and_tokens():
    assert parse_id("Patient/12", "Patient") == 12
    assert parse_id(" 12 ", "Patient") == 12
    for bad in ("Observation/12", "Patient/abc", "abc", "", "Patient/", "1" * 19):
        with pytest.raises(SearchError, match="Patient"):
            parse_id(bad, "Patient")
    assert parse_id("https://ehr.example/fhir/Patient/12", "Patient") == 12
    assert parse_id("Observation/lab-7", "Observation", id_prefix="lab") == 7
    assert parse_id("lab-7", "Observation", id_prefix="lab") == 7
    for bad in ("7", "Observation/7", "Observation/temp-7", "lab-x"):
        with pytest.raises(SearchError, match="lab-123"):
            parse_id(bad, "Observation", id_prefix="lab")
    assert parse_lot(" G20A ") == "G20A"
    for bad in ("", "  ", "X" * 21):
        with pytest.raises(SearchError, match="at most 20 characters"):
            parse_lot(bad)
    assert parse_token("http://loinc.org|2465-3") == ("http://loinc.org", "2465-3")
    assert parse_token("|2465-3") == ("", "2465-3")
    assert parse_token("2465-3") == (None, "2465-3")

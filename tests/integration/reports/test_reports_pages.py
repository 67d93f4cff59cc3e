"""Report pages: who may see them, the chart beside the table, the CSV, bad dates, and a query count that
does not grow with the data."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ivig.reports.catalog import REPORTS
from ivig.siteconfig.models import SiteSettings
from tests.plugins.reports import PERIOD, dispensed, reaction, session, usage_data, waste

RANGE = {"start": "2026-01-01", "end": "2026-06-30"}


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("Quality", 200),
        ("Pharmacist", 200),
        ("Admin", 200),
        ("Nurse", 403),
        ("Prescriber", 403),
        ("Patient", 403),
    ],
)
def test_it_lets_quality_pharmacy_and_admin_see_reports(client, make_user, role, status):
    client.force_login(make_user(role))

    assert client.get(reverse("reports:index")).status_code == status
    assert client.get(reverse("reports:report", args=["wastage"])).status_code == status
    assert client.get(reverse("reports:csv", args=["wastage"])).status_code == status


def test_it_shows_the_chart_and_the_same_numbers_in_a_table(client, make_user, make_patient):
    usage_data(make_user, make_patient)
    client.force_login(make_user("Quality"))

    response = client.get(reverse("reports:report", args=["grams-by-product"]), RANGE)

    html = response.content.decode()
    assert response.status_code == 200
    assert '<svg class="chart" id="chart-grams-by-product"' in html
    assert "Privigen: 50 g; Gamunex-C: 20 g" in html  # the chart's description for screen readers
    assert '<th scope="row">Privigen</th><td>2</td><td>1</td><td>5</td><td>50.0</td>' in html
    assert "style=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]  # strict CSP: classes only


def test_it_downloads_the_report_as_csv(client, make_user, make_patient):
    data = usage_data(make_user, make_patient)
    client.force_login(data.users["Pharmacist"])

    response = client.get(reverse("reports:csv", args=["grams-by-indication"]), RANGE)

    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="grams-by-indication-2026-01-01-2026-06-30.csv"' in response["Content-Disposition"]
    assert list(csv.reader(io.StringIO(response.content.decode()))) == [
        ["Indication", "Orders", "Patients", "Vials", "Grams"],
        ["Primary immunodeficiency", "2", "1", "5", "50.0"],
        ["Immune thrombocytopenia (ITP)", "1", "1", "4", "20.0"],
        ["Total", "3", "2", "9", "70.0"],
    ]


def test_it_defaults_to_the_last_12_months(client, make_user):
    client.force_login(make_user("Quality"))

    response = client.get(reverse("reports:report", args=["grams-by-month"]))

    assert response.status_code == 200
    assert len(response.context["result"].table.rows) in (12, 13)  # the months the 12 months touch


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2026-06-30", "end": "2026-01-01"}, "The end date is before the start date."),
        ({"start": "yesterday", "end": "2026-01-01"}, "Enter a valid date."),
        ({"start": "2010-01-01", "end": "2026-01-01"}, "Choose a range of five years or less."),
    ],
)
def test_it_refuses_bad_dates_with_a_message(client, make_user, params, message):
    client.force_login(make_user("Quality"))

    page = client.get(reverse("reports:report", args=["wastage"]), params)
    download = client.get(reverse("reports:csv", args=["wastage"]), params)

    assert page.status_code == 400
    assert message in page.content.decode()
    assert download.status_code == 400
    assert message in download.content.decode()


def test_it_says_not_found_for_an_unknown_report(client, make_user):
    client.force_login(make_user("Quality"))

    assert client.get(reverse("reports:report", args=["nothing"])).status_code == 404
    assert client.get(reverse("reports:csv", args=["nothing"])).status_code == 404


def _queries_per_report() -> dict[str, int]:
    counts = {}
    for spec in REPORTS:
        with CaptureQueriesContext(connection) as queries:
            spec.build(PERIOD, date(2026, 6, 1))
        counts[spec.slug] = len(queries)
    return counts


def test_it_runs_a_constant_number_of_queries_per_report(db, make_user, make_patient):
    data = usage_data(make_user, make_patient)
    SiteSettings.load()  # the first load creates the settings row: not a report's query
    before = _queries_per_report()
    # Many more rows of every kind: the query count must not change.
    for number in range(12):
        patient = make_patient(data.users["Ann"], given_name=f"Extra{number}")
        order = dispensed(
            data, patient, "pi", data.lots["gamunex"], 2, date(2026, 2, 1 + number), data.users["Ben"]
        )
        reaction(session(order, date(2026, 2, 1 + number)), 1)
        waste(data.users["Pharmacist"], data.lots["privigen"], 1, "damaged", date(2026, 3, 1 + number))

    after = _queries_per_report()

    assert after == before
    assert max(after.values()) <= 4


def test_it_keeps_names_in_the_csv_from_running_as_formulas(client, make_user, make_patient):
    data = usage_data(make_user, make_patient)
    data.users["Ann"].first_name = "=HYPERLINK(1)"
    data.users["Ann"].save()
    client.force_login(data.users["Pharmacist"])

    response = client.get(reverse("reports:csv", args=["grams-by-prescriber"]), RANGE)

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1] == ["'=HYPERLINK(1) Able", "2", "1", "5", "50.0"]

"""The MedWatch CSV: the columns of Form FDA 3500 and one row per filtered report with its content."""

from __future__ import annotations

import csv
import io

from django.urls import reverse
from django.utils import timezone

from ivig.hemovigilance import actions
from ivig.hemovigilance.medwatch import COLUMNS, form_date
from ivig.siteconfig.models import SiteSettings
from tests.plugins.adverse_events import reviewed


def _rows(response):
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_it_has_the_sections_of_form_3500():
    assert COLUMNS[:5] == (
        "Report",
        "Review status",
        "Regulator reference",
        "Date reported to regulator",
        "A1 Patient identifier",
    )
    for column in (
        "A2 Date of birth",
        "A3 Sex",
        "A4 Weight (kg)",
        "B2 Death",
        "B2 Life-threatening",
        "B2 Hospitalisation (initial or prolonged)",
        "B2 Disability or permanent damage",
        "B2 Congenital anomaly or birth defect",
        "B2 Required intervention to prevent permanent impairment or damage",
        "B2 Other serious (important medical event)",
        "B3 Date of event",
        "B5 Describe event",
        "D1 Name",
        "D1 Strength",
        "D1 Manufacturer",
        "D1 Lot number",
        "D2 Dose or amount",
        "D2 Frequency",
        "D2 Route",
        "D3 Therapy start",
        "D4 Diagnosis for use (indication)",
        "D6 Expiration date",
        "D7 Event abated after use stopped or dose reduced",
        "D8 Event reappeared after reintroduction",
        "E Reporter facility",
    ):
        assert column in COLUMNS


def test_it_writes_one_row_per_report_with_its_content(client, flowsheet_reaction, diary_reaction, quality):
    site = SiteSettings.load()
    site.centre_name, site.address, site.phone_appointments = (
        "North Infusion Centre",
        "1 Main St\nTown",
        "555-0100",
    )
    site.save()
    reaction = flowsheet_reaction(grade=3)
    report = reviewed(
        reaction.adverse_event.report,
        quality,
        serious_hospitalisation=True,
        serious_other=False,
        dechallenge="yes",
        rechallenge="na",
        causality="probable",
    )
    actions.mark_reported(by=quality, report=report, reported_on=timezone.localdate(), reference="=MW-9")
    diary_reaction(description="Headache after")
    client.force_login(quality)

    rows = _rows(client.get(reverse("hemovigilance:ae_medwatch_csv")))

    assert len(rows) == 2
    row = next(r for r in rows if r["Report"] == report.reference)
    patient = report.patient
    assert row["A1 Patient identifier"] == patient.given_name[0] + patient.family_name[0]
    assert patient.family_name not in row.values()
    assert row["A2 Date of birth"] == form_date(patient.date_of_birth)
    assert row["A3 Sex"] == patient.get_sex_at_birth_display()
    assert row["A4 Weight (kg)"] == "25.4"  # the weight of the day on the flowsheet
    assert row["B2 Hospitalisation (initial or prolonged)"] == "Yes" and row["B2 Death"] == ""
    assert row["B2 Other serious (important medical event)"] == ""
    assert row["B3 Date of event"] == form_date(timezone.localdate(reaction.onset_at))
    assert row["B5 Describe event"] == report.description and row["CTCAE grade"] == "3"
    assert row["Causality (WHO-UMC)"] == "Probable or likely"
    assert row["Regulator reference"] == "'=MW-9"  # never a spreadsheet formula
    assert row["Review status"] == "Reported to the regulator"
    assert (row["D1 Name"], row["D1 Strength"], row["D1 Manufacturer"]) == ("Privigen", "10%", "CSL Behring")
    assert row["D1 Lot number"] == "F05A; G20A"
    assert row["D2 Dose or amount"].startswith("1 g/kg") and row["D2 Route"] == "Intravenous"
    assert row["D2 Frequency"] == "once a day for 2 day(s)"
    assert row["D3 Therapy start"] == form_date(timezone.localdate(reaction.session.started_at))
    assert row["D4 Diagnosis for use (indication)"] == report.order.regimen_name
    assert row["D6 Expiration date"].count("-") == 4
    assert (
        row["D7 Event abated after use stopped or dose reduced"],
        row["D8 Event reappeared after reintroduction"],
    ) == (
        "Yes",
        "Doesn't apply",
    )
    assert (row["E Reporter name"], row["E Reporter facility"]) == (
        quality.display_name,
        "North Infusion Centre",
    )
    assert (row["E Reporter address"], row["E Reporter phone"]) == ("1 Main St Town", "555-0100")
    diary = next(r for r in rows if r["Report"] != report.reference)
    assert diary["Source"] == "Follow-up diary" and diary["Causality (WHO-UMC)"] == "Not assessed"
    assert diary["B5 Describe event"] == "Headache after"


def test_it_exports_only_the_filtered_reports(client, flowsheet_reaction, diary_reaction, quality):
    flowsheet = flowsheet_reaction().adverse_event.report
    diary_reaction()
    client.force_login(quality)

    rows = _rows(client.get(reverse("hemovigilance:ae_medwatch_csv"), {"lot": "G20A"}))

    assert [row["Report"] for row in rows] == [flowsheet.reference]
    assert _rows(client.get(reverse("hemovigilance:ae_medwatch_csv"), {"status": "closed"})) == []

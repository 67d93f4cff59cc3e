"""Lab CSV import: checked first, every bad row reported, nothing stored unless every row is good."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ivig.audit.models import AuditEvent
from ivig.patients.models import LabResult


@pytest.fixture
def setup(client, make_user, make_patient):
    nurse = make_user("Nurse")
    a = make_patient(nurse, mrn="RB900001")
    b = make_patient(nurse, mrn="RB900002", given_name="Bo")
    client.force_login(nurse)
    return nurse, a, b


def _day(days_ago: int) -> str:
    return (timezone.localdate() - timedelta(days=days_ago)).isoformat()


def test_it_checks_then_imports_every_row(client, setup):
    _nurse, a, b = setup
    text = (
        f"MRN,Kind,Value,Unit,Date\nRB900001,IgG,690,mg/dL,{_day(3)}\n"
        f"rb900002,platelets,45,10^3/uL,{_day(2)}\n"
    )
    upload = SimpleUploadedFile("labs.csv", text.encode(), content_type="text/csv")

    checked = client.post(reverse("patients:lab_import"), {"file": upload})

    assert checked.status_code == 200 and "2 rows ready to import from labs.csv" in checked.content.decode()
    assert not LabResult.objects.exists()
    done = client.post(reverse("patients:lab_import"), {"text": text, "source": "labs.csv", "confirm": "yes"})
    assert done.status_code == 302
    assert str(LabResult.objects.get(patient=a, kind="igg").value) == "6.90"
    assert str(LabResult.objects.get(patient=b, kind="platelets").value) == "45.00"
    assert AuditEvent.objects.filter(action="lab.import").count() == 2
    assert AuditEvent.objects.filter(action="lab.import", after__source="labs.csv").count() == 2


def test_it_lists_each_bad_row_and_imports_nothing(client, setup):
    text = (
        "mrn,kind,value,unit,date\n"
        f"RB900001,igg,7.1,g/L,{_day(3)}\n"  # good
        f"RB999999,igg,7.1,g/L,{_day(3)}\n"  # unknown patient
        f"RB900001,ferritin,30,ug/L,{_day(3)}\n"  # unknown kind
        f"RB900001,igg,7.1,mg/L,{_day(3)}\n"  # wrong unit
        f"RB900001,igg,seven,g/L,{_day(3)}\n"  # not a number
        "RB900001,igg,7.1,g/L,03/01/2026\n"  # date format
        f"RB900001,igg,7.1,g/L,{_day(-2)}\n"  # future
        f"RB900001,igg,7.1,g/L,{_day(3)}\n"  # duplicate of line 2
    )

    response = client.post(reverse("patients:lab_import"), {"text": text, "confirm": "yes"})

    assert response.status_code == 400
    errors = response.context["checked"].errors
    assert [e.line for e in errors] == [3, 4, 5, 6, 7, 8, 9]
    messages = " | ".join(e.message for e in errors)
    for expected in (
        "no patient with MRN",
        "unknown lab kind",
        "is not one for igg",
        "not a number",
        "write it as",
        "in the future",
        "the same result as line 2",
    ):
        assert expected in messages
    assert "Nothing was imported" in response.content.decode()
    assert not LabResult.objects.exists()


def test_it_keeps_results_already_on_the_chart_once(client, setup):
    text = f"mrn,kind,value,unit,date\nRB900001,igg,7.1,g/L,{_day(3)}\n"
    client.post(reverse("patients:lab_import"), {"text": text, "confirm": "yes"})
    client.post(reverse("patients:lab_import"), {"text": text, "confirm": "yes"})

    assert LabResult.objects.count() == 1


def test_it_refuses_a_file_without_the_columns_or_rows(client, setup):
    missing = client.post(reverse("patients:lab_import"), {"text": "mrn,kind,value\nRB900001,igg,7\n"})
    empty = client.post(reverse("patients:lab_import"), {"text": "mrn,kind,value,unit,date\n"})
    nothing = client.post(reverse("patients:lab_import"), {})

    assert missing.status_code == 400 and "missing column(s): unit, date" in missing.content.decode()
    assert empty.status_code == 400 and "no rows" in empty.content.decode()
    assert nothing.status_code == 400 and "Choose a CSV file" in nothing.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("Prescriber", 200),
        ("Nurse", 200),
        ("Pharmacist", 403),
        ("Quality", 403),
        ("Admin", 403),
        ("Patient", 403),
    ],
)
def test_it_lets_only_lab_enterers_import(client, make_user, role, status):
    client.force_login(make_user(role))

    assert client.get(reverse("patients:lab_import")).status_code == status

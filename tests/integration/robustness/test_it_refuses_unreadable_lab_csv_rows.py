"""The lab CSV import answers a row it cannot read or a value no lab reports with a 400 naming the row's
problem, not a 500: 1e30 overflows the unit conversion, a field over csv's 131,072-character limit stops the
reader."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ivig import clock
from ivig.patients.models import LabResult

pytestmark = pytest.mark.django_db

YESTERDAY = (clock.localdate() - timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (f"RB900001,IgG,1e30,mg/dL,{YESTERDAY}", "not a plausible result"),
        (f"RB900001,IgG,-1e30,g/L,{YESTERDAY}", "not a plausible result"),
        (f"RB900001,IgG,690,{'x' * 140_000},{YESTERDAY}", "cannot be read as CSV"),
        (f'RB900001,IgG,"{"9" * 140_000}",mg/dL,{YESTERDAY}', "cannot be read as CSV"),
    ],
    ids=["1e30", "minus-1e30", "long-unit", "long-value"],
)
def test_it_refuses_a_lab_row_it_cannot_read(client, make_user, make_patient, row, message):
    nurse = make_user("Nurse")
    make_patient(nurse, mrn="RB900001")
    client.force_login(nurse)
    text = f"mrn,kind,value,unit,date\n{row}\n"
    upload = SimpleUploadedFile("labs.csv", text.encode(), content_type="text/csv")

    response = client.post(reverse("patients:lab_import"), {"file": upload, "confirm": "yes"})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not LabResult.objects.exists()

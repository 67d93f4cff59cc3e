"""Wristband labels print as PDF from the patient page: name, date of birth, MRN as text and as Code 128."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from ivig.audit.models import AuditEvent
from ivig.patients import wristband

pytestmark = pytest.mark.django_db


def test_it_prints_name_birth_date_and_mrn_with_its_barcode(
    weasyprint_available, page_text, client, make_user, make_patient, monkeypatch
):
    nurse = make_user("Nurse")
    patient = make_patient(nurse, mrn="KNOWN-12", given_name="Mia", family_name="Okafor")
    written: list[str] = []
    write = wristband.write_pdf

    def keep(html: str, **kwargs: Any) -> bytes:
        written.append(html)
        return write(html, **kwargs)

    monkeypatch.setattr(wristband, "write_pdf", keep)
    client.force_login(nurse)
    detail = client.get(reverse("patients:detail", args=[patient.pk])).content.decode()
    assert 'data-testid="wristband-pdf"' in detail

    response = client.get(reverse("patients:wristband_pdf", args=[patient.pk]))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    (html,) = written
    assert (
        "OKAFOR, Mia" in html and f"Born {patient.date_of_birth:%Y-%m-%d}" in html and "MRN KNOWN-12" in html
    )
    assert '<svg role="img" aria-label="Barcode of MRN KNOWN-12"' in html and "<rect" in html
    assert AuditEvent.objects.filter(action="patient.wristband_print", target_id=str(patient.pk)).exists()


def test_the_barcode_is_code_128_of_the_mrn():
    import barcode

    svg = str(wristband.code128_svg("KNOWN-12"))
    assert svg.startswith("<svg ") and "<?xml" not in svg
    # One black bar per run of 1s in the Code 128 modules of the MRN, plus the white background.
    modules = barcode.get("code128", "KNOWN-12").build()[0]
    bars = len([run for run in modules.split("0") if run])
    assert svg.count("<rect") == bars + 1


def test_a_patients_own_account_cannot_print_a_band(client, make_user, make_patient):
    staff = make_user("Nurse")
    patient = make_patient(staff)
    client.force_login(make_user("Patient", "family"))
    response = client.get(reverse("patients:wristband_pdf", args=[patient.pk]))
    assert response.status_code in (403, 404)
